// authgen passkey ceremonies for the built-in pages: sign in with a
// passkey (a button, and conditional UI — autofill — where the browser
// offers it), sign up with one, answer the second step of two-factor
// sign-in with one, and add one (the passkeys page, or the second step's
// set-up). Plain JavaScript, no build step; served at
// {basePath}/passkey.js.
(function () {
  "use strict";
  var b64 = {
    // decode: base64url to ArrayBuffer.
    decode: function (s) {
      s = s.replace(/-/g, "+").replace(/_/g, "/");
      while (s.length % 4) s += "=";
      var bin = atob(s), out = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out.buffer;
    },
    // encode: ArrayBuffer to base64url without padding.
    encode: function (buf) {
      var bytes = new Uint8Array(buf), bin = "";
      for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
      return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }
  };

  // conditionalRequest aborts the sign-in page's conditional request, which
  // a sign-up's navigator.credentials.create must not run beside.
  var conditionalRequest = null;

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Auth-Return-Redirect": "1" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (j) { return { status: r.status, body: j }; });
    });
  }

  function showError(form, text) {
    var p = form.querySelector("[role=alert]");
    if (p) { p.textContent = text; p.hidden = false; }
  }

  function creationOptions(o) {
    var pk = o.publicKey;
    pk.challenge = b64.decode(pk.challenge);
    pk.user.id = b64.decode(pk.user.id);
    (pk.excludeCredentials || []).forEach(function (c) { c.id = b64.decode(c.id); });
    return pk;
  }

  function requestOptions(o) {
    var pk = o.publicKey;
    pk.challenge = b64.decode(pk.challenge);
    (pk.allowCredentials || []).forEach(function (c) { c.id = b64.decode(c.id); });
    return pk;
  }

  function attestationJSON(c) {
    var r = c.response;
    return {
      id: c.id, rawId: b64.encode(c.rawId), type: c.type,
      authenticatorAttachment: c.authenticatorAttachment || undefined,
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {},
      response: {
        clientDataJSON: b64.encode(r.clientDataJSON),
        attestationObject: b64.encode(r.attestationObject),
        transports: r.getTransports ? r.getTransports() : []
      }
    };
  }

  function assertionJSON(c) {
    var r = c.response;
    return {
      id: c.id, rawId: b64.encode(c.rawId), type: c.type,
      authenticatorAttachment: c.authenticatorAttachment || undefined,
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {},
      response: {
        clientDataJSON: b64.encode(r.clientDataJSON),
        authenticatorData: b64.encode(r.authenticatorData),
        signature: b64.encode(r.signature),
        userHandle: r.userHandle ? b64.encode(r.userHandle) : undefined
      }
    };
  }

  // signIn runs a sign-in ceremony; mediation "conditional" waits for the
  // user to pick a passkey from the autofill. started, when given, is
  // called once the options (and their challenge cookie) arrived.
  function signIn(form, mediation, abort, started) {
    var csrf = form.dataset.csrf;
    return post(form.dataset.options, { csrfToken: csrf }).then(function (o) {
      if (started) started();
      if (o.status !== 200) throw new Error(o.body.error || "Passkey");
      var opts = { publicKey: requestOptions(o.body) };
      if (mediation) opts.mediation = mediation;
      if (abort) opts.signal = abort.signal;
      return navigator.credentials.get(opts);
    }).then(function (cred) {
      return post(form.dataset.callback, {
        csrfToken: csrf, callbackUrl: form.dataset.callbackUrl,
        response: assertionJSON(cred)
      });
    }).then(function (res) {
      if (res.body.url) { window.location.assign(res.body.url); return; }
      throw new Error(res.body.error || "Passkey");
    });
  }

  function initSignIn(form) {
    var conditional = null, ready = Promise.resolve();
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      // The conditional request's options come first, so that this
      // request's challenge is the one the cookie keeps.
      ready.then(function () {
        if (conditional) conditional.abort();
        return signIn(form, null, null, null);
      }).catch(function (err) {
        if (err && err.name === "AbortError") return;
        if (window.console) console.error("authgen passkey: " + err);
        showError(form, "The passkey could not be used. Try again, or sign in another way.");
      });
    });
    if (window.PublicKeyCredential && PublicKeyCredential.isConditionalMediationAvailable) {
      ready = PublicKeyCredential.isConditionalMediationAvailable().then(function (ok) {
        if (!ok) return;
        form.dataset.conditional = "true";
        conditional = new AbortController();
        conditionalRequest = conditional;
        return new Promise(function (started) {
          signIn(form, "conditional", conditional, started).catch(function () { started(); });
        });
      }).catch(function () {});
    }
  }

  function initRegister(form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var csrf = form.dataset.csrf, name = form.querySelector("[name=name]");
      // "for": "sign-in" on the set-up page of a sign-in's second step.
      var who = form.dataset.for || "";
      post(form.dataset.options, { csrfToken: csrf, for: who }).then(function (o) {
        if (o.status !== 200) throw new Error(o.body.error || "Passkey");
        return navigator.credentials.create({ publicKey: creationOptions(o.body) });
      }).then(function (cred) {
        return post(form.dataset.register, {
          csrfToken: csrf, for: who, name: name ? name.value : "", response: attestationJSON(cred)
        });
      }).then(function (res) {
        if (res.status !== 200) throw new Error(res.body.error || "Passkey");
        // A sign-in that set up its second step continues to its page.
        if (res.body.url) { window.location.assign(res.body.url); return; }
        window.location.reload();
      }).catch(function (err) {
        if (window.console) console.error("authgen passkey: " + err);
        showError(form, "The passkey could not be added. Try again.");
      });
    });
  }

  function initSignUp(form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var csrf = form.dataset.csrf, name = form.querySelector("[name=name]").value;
      if (conditionalRequest) conditionalRequest.abort();
      post(form.dataset.options, { csrfToken: csrf, name: name }).then(function (o) {
        if (o.status !== 200) throw new Error(o.body.error || "Passkey");
        return navigator.credentials.create({ publicKey: creationOptions(o.body) });
      }).then(function (cred) {
        return post(form.dataset.callback, {
          csrfToken: csrf, callbackUrl: form.dataset.callbackUrl, response: attestationJSON(cred)
        });
      }).then(function (res) {
        if (res.body.url) { window.location.assign(res.body.url); return; }
        throw new Error(res.body.error || "Passkey");
      }).catch(function (err) {
        if (window.console) console.error("authgen passkey: " + err);
        showError(form, "Signing up with a passkey did not work. Try again.");
      });
    });
  }

  function initSecondFactor(form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var csrf = form.dataset.csrf;
      post(form.dataset.options, { csrfToken: csrf }).then(function (o) {
        if (o.body.url) { window.location.assign(o.body.url); return null; }
        if (o.status !== 200) throw new Error(o.body.error || "Passkey");
        return navigator.credentials.get({ publicKey: requestOptions(o.body) });
      }).then(function (cred) {
        if (!cred) return null;
        return post(form.dataset.callback, { csrfToken: csrf, response: assertionJSON(cred) });
      }).then(function (res) {
        if (!res) return;
        // The session (200), or a sign-in that is over (401 TwoFactor).
        if (res.body.url) { window.location.assign(res.body.url); return; }
        throw new Error(res.body.error || "Passkey");
      }).catch(function (err) {
        if (window.console) console.error("authgen passkey: " + err);
        showError(form, "The passkey could not be used. Try again, or type a code.");
      });
    });
  }

  document.querySelectorAll("form[data-passkey=signin]").forEach(initSignIn);
  document.querySelectorAll("form[data-passkey=signup]").forEach(initSignUp);
  document.querySelectorAll("form[data-passkey=second-factor]").forEach(initSecondFactor);
  document.querySelectorAll("form[data-passkey=register]").forEach(initRegister);
})();
