import * as client from "next-auth-v5/react";
// next-auth/webauthn's signIn("passkey") shares the react client's
// configuration (__NEXTAUTH): the same module in the bundle.
import * as webauthn from "next-auth-v5/webauthn";
import { mount } from "./harness.mjs";
mount("v5", client);
window.harness.webauthnSignIn = (provider, options) => webauthn.signIn(provider, options);
