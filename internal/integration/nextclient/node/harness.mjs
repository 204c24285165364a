// The page script of the Chromium tests: the real next-auth/react client of
// one version (v4.mjs, v5.mjs pass it in) under a SessionProvider, with every
// client function and the useSession state reachable from the test as
// window.harness. The test reads state, never the DOM, except #status, which
// shows the page works at a glance in screenshots.
import * as React from "react";
import { createRoot } from "react-dom/client";

export function mount(version, client) {
  const q = new URLSearchParams(location.search);
  const state = { version, status: "init", data: null, renders: 0, update: null, errors: [] };
  window.addEventListener("error", (e) => state.errors.push(String(e.message)));
  window.addEventListener("unhandledrejection", (e) => state.errors.push(String(e.reason)));

  function Probe() {
    const { data, status, update } = client.useSession();
    state.status = status;
    state.data = data;
    state.update = update;
    state.renders++;
    return React.createElement("p", { id: "status" }, version + ": " + status + (data && data.user ? " as " + data.user.email : ""));
  }

  const props = {
    basePath: q.get("basePath") || "/api/auth",
    refetchInterval: Number(q.get("refetchInterval") || 0),
    refetchOnWindowFocus: q.get("refetchOnWindowFocus") !== "false",
  };
  window.harness = {
    state,
    getSession: (p) => client.getSession(p),
    getCsrfToken: () => client.getCsrfToken(),
    getProviders: () => client.getProviders(),
    signIn: (provider, options, params) => client.signIn(provider, options, params),
    signOut: (options) => client.signOut(options),
    update: (data) => state.update(data),
  };
  createRoot(document.getElementById("root")).render(
    React.createElement(client.SessionProvider, props, React.createElement(Probe)),
  );
}
