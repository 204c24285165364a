// token.mjs encodes and decodes Auth.js session tokens with the real
// packages: @auth/core's jwt (version 5) and next-auth 4's next-auth/jwt.
// It reads one JSON request on stdin and writes one JSON answer on stdout:
//
//   {"op":"encode","version":5,"secret":["new","old"],"salt":"authjs.session-token","token":{...},"maxAge":60}
//     -> {"token":"eyJ..."}
//   {"op":"decode","version":4,"secret":"s","salt":"","token":"eyJ..."}
//     -> {"payload":{...}} or {"error":"..."}
//
// The real encode stamps iat, exp and jti from the real clock.
import { createRequire } from "node:module";
import * as core from "@auth/core/jwt";

const require = createRequire(import.meta.url);
const v4 = require("next-auth/jwt");

const input = JSON.parse(await new Promise((resolve) => {
  let s = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (d) => (s += d));
  process.stdin.on("end", () => resolve(s));
}));

const lib = input.version === 4 ? v4 : core;
const params = { secret: input.secret, salt: input.salt };
if (input.version === 4 && input.salt === "") delete params.salt;
try {
  if (input.op === "encode") {
    const token = await lib.encode({ ...params, token: input.token, maxAge: input.maxAge });
    process.stdout.write(JSON.stringify({ token }));
  } else {
    const payload = await lib.decode({ ...params, token: input.token });
    process.stdout.write(JSON.stringify({ payload }));
  }
} catch (e) {
  process.stdout.write(JSON.stringify({ error: String(e && e.message || e) }));
}
