// Bundles v4.mjs and v5.mjs for the browser into the directory given as the
// first argument (dist/ by default): node build.mjs <outdir>
import * as esbuild from "esbuild";

const outdir = process.argv[2] || "dist";
await esbuild.build({
  entryPoints: ["v4.mjs", "v5.mjs"],
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "chrome120",
  outdir,
  logLevel: "warning",
  // next-auth's clients read process.env (NEXTAUTH_URL, VERCEL_URL, ...):
  // in a browser without Next.js none is set.
  define: { "process.env.NODE_ENV": '"production"' },
  banner: { js: "var process = { env: {} };" },
});
