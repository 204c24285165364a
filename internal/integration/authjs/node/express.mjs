// express.mjs is an Auth.js 5 application: @auth/express 0.12.3 on
// express 4, with a credentials provider (ada / pw) and a page at / that
// says who is signed in, as getSession reads the session cookie.
//
//   PORT=3001 AUTH_SECRET=… node express.mjs
//
// It listens on 127.0.0.1:$PORT and prints "listening" when it does. With
// COOKIE_DOMAIN the session cookie is shared with that domain (Auth.js's
// cookies option, deep-merged into its defaults).
// AUTH_SECRET is read by @auth/core itself (setEnvDefaults), so
// AUTH_SECRET_1 … _3 rotate as they do in any Auth.js application.
import express from "express";
import { ExpressAuth, getSession } from "@auth/express";
import Credentials from "@auth/express/providers/credentials";

const config = {
  trustHost: true,
  providers: [
    Credentials({
      credentials: { username: { label: "Username" }, password: { label: "Password", type: "password" } },
      authorize: async (c) =>
        c.username === "ada" && c.password === "pw"
          ? { id: "user-1", name: "Ada Lovelace", email: "ada@example.com" }
          : null,
    }),
  ],
};

if (process.env.COOKIE_DOMAIN) {
  config.cookies = { sessionToken: { options: { domain: process.env.COOKIE_DOMAIN } } };
}

const app = express();
app.set("trust proxy", true);
app.use("/auth/*", ExpressAuth(config));
app.get("/", async (req, res) => {
  const session = await getSession(req, config);
  const who = session?.user?.name ?? "signed out";
  res.type("html").send(`<!doctype html><title>Auth.js</title><p id="who">${who}</p>`);
});
app.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
