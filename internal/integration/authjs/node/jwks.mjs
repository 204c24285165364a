// jwks.mjs verifies an authgen session token as a Node service would,
// with jose (pinned by package-lock.json) and the application's public
// key set — the example of docs/KEYS.md. It reads one JSON request on
// stdin and writes one JSON answer on stdout:
//
//   {"jwks":"http://127.0.0.1:1234/api/auth/jwks","token":"eyJ..."}
//     -> {"payload":{...},"alg":"ES256","kid":"..."} or {"error":"...","code":"ERR_..."}
import { createRemoteJWKSet, jwtVerify } from "jose";

const input = JSON.parse(await new Promise((resolve) => {
  let s = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (d) => (s += d));
  process.stdin.on("end", () => resolve(s));
}));

// As in docs/KEYS.md: one JWKS per process (it caches the keys and
// fetches them again for an unknown kid), the algorithms authgen signs with.
const JWKS = createRemoteJWKSet(new URL(input.jwks));
try {
  const { payload, protectedHeader } = await jwtVerify(input.token, JWKS, {
    algorithms: ["ES256", "EdDSA", "RS256", "PS256"],
  });
  process.stdout.write(JSON.stringify({ payload, alg: protectedHeader.alg, kid: protectedHeader.kid }));
} catch (err) {
  process.stdout.write(JSON.stringify({ error: String(err.message), code: err.code ?? "" }));
}
