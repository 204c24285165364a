/* authgen client: the session for pages the Go application renders.
 * Served by runtime/server as {basePath}/client.js; docs/CLIENT.md.
 * Plain ES2017, no dependency, no build step. */
(function () {
  "use strict";
  if (window.authgen) return; // loaded twice

  var script = document.currentScript;
  var src = new URL(script ? script.src : location.href, location.href);
  // The base path is where this script was served from: {basePath}/client.js.
  var base = src.origin + src.pathname.replace(/\/client\.js$/, "");
  var STATE = "authgen.session", MESSAGE = "authgen.message";

  var listeners = [];
  var known = false, current = null, fp = "";
  var inflight = null;
  var keepAliveSeconds = 0, timer = 0, timerEvery = 0;
  var refetchOnWindowFocus = true, reload = false, leaving = false;
  var channel = null;

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  // fingerprint names a session without its expiry (which keepalives move)
  // and without keeping who it is in localStorage: FNV-1a of its JSON.
  function fingerprint(s) {
    if (!s) return "out";
    var copy = {}, k;
    for (k in s) if (k !== "expires") copy[k] = s[k];
    var str = JSON.stringify(copy), h = 0x811c9dc5;
    for (var i = 0; i < str.length; i++) {
      h ^= str.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return "in:" + h.toString(16);
  }

  function request(method, path, body) {
    var init = { method: method, credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } };
    if (body) {
      init.headers["Content-Type"] = "application/x-www-form-urlencoded";
      init.body = new URLSearchParams(body);
    }
    return fetch(base + path, init).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (data) {
        return { res: res, data: data };
      });
    });
  }

  function csrfToken() {
    return request("GET", "/csrf").then(function (r) {
      if (!r.res.ok || !r.data || !r.data.csrfToken) throw new Error("authgen: GET /csrf answered " + r.res.status);
      return r.data.csrfToken;
    });
  }

  function providers() {
    return request("GET", "/providers").then(function (r) {
      if (!r.res.ok) throw new Error("authgen: GET /providers answered " + r.res.status);
      return r.data || {};
    });
  }

  // normalize: null, or {} from a server answering v4 clients, is no session.
  function normalize(data) {
    return data && typeof data === "object" && data.user ? data : null;
  }

  // fetchSession asks the server (which renews a session due for it); one
  // request at a time, shared by its callers.
  function fetchSession() {
    if (inflight) return inflight;
    inflight = request("GET", "/session").then(function (r) {
      inflight = null;
      if (!r.res.ok) throw new Error("authgen: GET /session answered " + r.res.status);
      var s = normalize(r.data);
      apply(s);
      return s;
    }, function (err) {
      inflight = null;
      throw err;
    });
    return inflight;
  }

  // refresh re-checks the session in the background: a failure (offline,
  // a server error) changes nothing.
  function refresh() {
    fetchSession().catch(function () {});
  }

  // apply records the session this tab saw, updates the page, calls the
  // listeners when it changed, and tells the other tabs when it differs
  // from what they saw last.
  function apply(s) {
    var next = fingerprint(s), first = !known, changed = first || next !== fp;
    known = true;
    current = s;
    fp = next;
    var st = storage(), told = null;
    if (st) {
      try { told = st.getItem(STATE); st.setItem(STATE, next); } catch (e) { st = null; }
    }
    if (st ? told !== null && told !== next : changed) broadcast(next);
    render();
    if (changed) listeners.slice().forEach(function (cb) { notify(cb, s); });
    schedule();
    // A page the server rendered for the session it had shows the new one.
    if (reload && changed && !first && !leaving) window.location.reload();
  }

  function notify(cb, s) {
    try { cb(s); } catch (e) { setTimeout(function () { throw e; }); }
  }

  function broadcast(next) {
    var msg = { session: next, at: Date.now(), nonce: Math.random() };
    if (channel) {
      channel.postMessage(msg);
      return;
    }
    var st = storage();
    if (st) {
      try { st.setItem(MESSAGE, JSON.stringify(msg)); } catch (e) { /* full or denied */ }
    }
  }

  function receive(msg) {
    if (msg && msg.session !== fp) refresh();
  }

  if (typeof BroadcastChannel === "function") {
    channel = new BroadcastChannel("authgen");
    channel.onmessage = function (e) { receive(e.data); };
  } else {
    window.addEventListener("storage", function (e) {
      if (e.key !== MESSAGE || !e.newValue) return;
      try { receive(JSON.parse(e.newValue)); } catch (err) { /* not ours */ }
    });
  }

  function visible() {
    return document.visibilityState !== "hidden";
  }

  document.addEventListener("visibilitychange", function () {
    if (refetchOnWindowFocus && visible()) refresh();
  });
  window.addEventListener("focus", function () {
    if (refetchOnWindowFocus) refresh();
  });

  // schedule runs the keepalive: while signed in, every keepAliveSeconds
  // a visible tab asks for the session, which the server renews when it
  // is older than its updateAge.
  function schedule() {
    var every = keepAliveSeconds > 0 && current ? keepAliveSeconds : 0;
    if (every === timerEvery) return;
    clearInterval(timer);
    timerEvery = every;
    timer = every ? setInterval(function () { if (visible()) refresh(); }, every * 1000) : 0;
  }

  function configure(options) {
    options = options || {};
    if ("keepAlive" in options) {
      var n = Number(options.keepAlive);
      if (!(n >= 0)) throw new Error("authgen: keepAlive must be a number of seconds, 0 for none");
      keepAliveSeconds = n;
      schedule();
    }
    if ("refetchOnWindowFocus" in options) refetchOnWindowFocus = !!options.refetchOnWindowFocus;
    if ("reload" in options) reload = !!options.reload;
    return { keepAlive: keepAliveSeconds, refetchOnWindowFocus: refetchOnWindowFocus, reload: reload, basePath: base };
  }

  function go(url) {
    leaving = true;
    window.location.href = url;
    if (url.indexOf("#") >= 0) window.location.reload();
  }

  function session() {
    return fetchSession();
  }

  // signIn starts a sign-in as next-auth/react's does: with a provider's
  // id, POST /signin/{id} (credentials: /callback/{id}) and go where the
  // server says; without one, or with an unknown one, the sign-in page.
  function signIn(provider, options, authorizationParams) {
    options = options || {};
    var callbackUrl = options.callbackUrl || location.href;
    var redirect = options.redirect !== false;
    return providers().then(function (list) {
      if (!provider || !Object.prototype.hasOwnProperty.call(list, provider)) {
        go(base + "/signin?" + new URLSearchParams({ callbackUrl: callbackUrl }));
        return undefined;
      }
      var type = list[provider].type;
      var returns = type === "credentials" || type === "email";
      var path = (type === "credentials" ? "/callback/" : "/signin/") + encodeURIComponent(provider);
      if (authorizationParams) path += "?" + new URLSearchParams(authorizationParams);
      return csrfToken().then(function (token) {
        var body = {};
        for (var k in options) if (k !== "redirect" && options[k] != null) body[k] = String(options[k]);
        body.csrfToken = token;
        body.callbackUrl = callbackUrl;
        body.json = "true";
        return request("POST", path, body);
      }).then(function (r) {
        var url = (r.data && r.data.url) || callbackUrl;
        if (redirect || !returns) {
          go(url);
          return undefined;
        }
        var error = null;
        try { error = new URL(url, location.href).searchParams.get("error"); } catch (e) { /* keep null */ }
        var done = r.res.ok && !error ? fetchSession() : Promise.resolve();
        return done.then(function () {
          return { error: error, status: r.res.status, ok: r.res.ok && !error, url: error ? null : url };
        });
      });
    });
  }

  // signOut ends the session (POST /signout), tells the other tabs, and
  // goes to the callbackUrl (or where the server sends it, such as a
  // provider's logout) unless redirect is false.
  function signOut(options) {
    options = options || {};
    var callbackUrl = options.callbackUrl || location.href;
    return csrfToken().then(function (token) {
      return request("POST", "/signout", { csrfToken: token, callbackUrl: callbackUrl, json: "true" });
    }).then(function (r) {
      var url = (r.data && r.data.url) || callbackUrl;
      var redirect = options.redirect !== false;
      leaving = redirect;
      if (r.res.ok) apply(null);
      if (redirect) {
        go(url);
        return undefined;
      }
      return { url: url, ok: r.res.ok, status: r.res.status };
    });
  }

  // update sends data to the JWT callback (POST /session), as
  // next-auth/react's update does, and returns the new session.
  function update(data) {
    return csrfToken().then(function (token) {
      var body = { csrfToken: token };
      if (data !== undefined) body.data = JSON.stringify(data);
      return request("POST", "/session", body);
    }).then(function (r) {
      if (!r.res.ok) throw new Error("authgen: POST /session answered " + r.res.status);
      var s = normalize(r.data);
      apply(s);
      return s;
    });
  }

  function onChange(cb) {
    if (typeof cb !== "function") throw new TypeError("authgen: onChange needs a function");
    listeners.push(cb);
    if (known) {
      var s = current;
      Promise.resolve().then(function () { if (listeners.indexOf(cb) >= 0) notify(cb, s); });
    }
    return function () {
      var i = listeners.indexOf(cb);
      if (i >= 0) listeners.splice(i, 1);
    };
  }

  // lookup reads a dotted path ("user.name") of the session.
  function lookup(s, path) {
    var v = s;
    path.split(".").forEach(function (k) { v = v == null ? null : v[k]; });
    return v == null ? "" : String(v);
  }

  // render applies the data attributes: data-authgen-session="user.name"
  // shows a value as text, data-authgen-if="signed-in"|"signed-out" hides
  // what does not apply, and <html data-authgen-state> says which.
  function render() {
    if (!known) return;
    var state = current ? "signed-in" : "signed-out";
    document.documentElement.setAttribute("data-authgen-state", state);
    var els = document.querySelectorAll("[data-authgen-session]"), i;
    for (i = 0; i < els.length; i++) {
      var text = lookup(current, els[i].getAttribute("data-authgen-session"));
      if (els[i].textContent !== text) els[i].textContent = text;
    }
    els = document.querySelectorAll("[data-authgen-if]");
    for (i = 0; i < els.length; i++) {
      els[i].hidden = els[i].getAttribute("data-authgen-if") !== state;
    }
  }

  // Clicks on data-authgen-signin and data-authgen-signout elements,
  // delegated, so elements added later work too.
  document.addEventListener("click", function (e) {
    var el = e.target && e.target.closest && e.target.closest("[data-authgen-signin],[data-authgen-signout]");
    if (!el || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || el.disabled) return;
    e.preventDefault();
    var callbackUrl = el.getAttribute("data-authgen-callback-url") || undefined;
    var done = el.hasAttribute("data-authgen-signout")
      ? signOut({ callbackUrl: callbackUrl })
      : signIn(el.getAttribute("data-authgen-signin") || undefined, { callbackUrl: callbackUrl });
    done.catch(function (err) { console.error(err); });
  });

  window.authgen = {
    basePath: base,
    session: session,
    signIn: signIn,
    signOut: signOut,
    update: update,
    onChange: onChange,
    configure: configure,
    csrfToken: csrfToken,
    providers: providers,
    render: render
  };

  var keep = script && script.getAttribute("data-keepalive");
  if (keep) {
    try { configure({ keepAlive: keep }); } catch (e) { console.error(e); }
  }
  if (script && script.hasAttribute("data-reload")) reload = true;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  }
  refresh();
})();
