// csrf.mjs runs Auth.js's own CSRF code: createCSRFToken of @auth/core
// (version 5; its secret is the array of secrets) or of next-auth 4 (one
// secret), which the packages do not export, so it is loaded by file path.
// The cookie value goes through each version's own cookie serializer and
// parser, so it is URL-encoded and decoded exactly as on the wire.
//
//   {"version":5,"secret":["a","b"]}                       -> {"token":"…","cookie":"<Set-Cookie value>"}
//   {"version":5,"secret":[…],"cookie":"<raw value>","body":"<csrfToken>"}
//                                                          -> {"token":"…","verified":true|false,"reissued":true|false}
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
const here = path.dirname(new URL(import.meta.url).pathname);
const modules = path.join(here, "node_modules");

const input = JSON.parse(await new Promise((resolve) => {
  let s = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (d) => (s += d));
  process.stdin.on("end", () => resolve(s));
}));

let createCSRFToken, serialize, parse;
if (input.version === 4) {
  ({ createCSRFToken } = require(path.join(modules, "next-auth/core/lib/csrf-token.js")));
  // next-auth 4 writes cookies with the "cookie" package (next/utils.js).
  ({ serialize, parse } = require(path.join(modules, "cookie")));
} else {
  ({ createCSRFToken } = await import(pathToFileURL(path.join(modules, "@auth/core/lib/actions/callback/oauth/csrf-token.js"))));
  ({ serialize, parse } = await import(pathToFileURL(path.join(modules, "@auth/core/lib/vendored/cookie.js"))));
}

const name = "csrf";
// The cookie as a request carries it, read by the version's own parser.
const cookieValue = input.cookie === undefined ? undefined : parse(`${name}=${input.cookie}`)[name];
const r = await createCSRFToken({
  options: { secret: input.secret },
  cookieValue,
  isPost: input.body !== undefined,
  bodyValue: input.body,
});
const out = { token: r.csrfToken, verified: !!r.csrfTokenVerified, reissued: r.cookie !== undefined };
if (r.cookie !== undefined) {
  // serialize gives "name=value; …": the value as written on the wire.
  out.cookie = serialize(name, r.cookie).slice(name.length + 1);
}
process.stdout.write(JSON.stringify(out));
