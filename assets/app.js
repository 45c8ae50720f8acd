// Liaison's only script besides htmx. Everything here is an enhancement: every journey works
// without it. No inline script anywhere (strict CSP), so behaviour lives in this file.
(function () {
  "use strict";

  // Warn before the idle timeout signs the user out, and let them stay signed in.
  var WARN_BEFORE_MS = 2 * 60 * 1000;
  var info = document.getElementById("session-info");
  var warning = document.getElementById("session-warning");
  var remaining = document.getElementById("session-warning-remaining");
  if (info && warning && remaining) {
    var deadline = Date.now() + (Number(info.dataset.idleDeadline) - Number(info.dataset.now));
    var tick = function () {
      var left = deadline - Date.now();
      if (left <= 0) {
        window.location.assign("/sign-in?ended=idle");
        return;
      }
      if (left <= WARN_BEFORE_MS) {
        var mins = Math.ceil(left / 60000);
        remaining.textContent = mins === 1 ? "1 minute" : mins + " minutes";
        if (warning.hidden) {
          warning.hidden = false;
          document.getElementById("session-extend").focus();
        }
      }
    };
    // Any request the user makes counts as activity; background polls say so and do not.
    document.body.addEventListener("htmx:afterRequest", function (e) {
      var cfg = e.detail && e.detail.requestConfig;
      var background = cfg && cfg.headers && cfg.headers["X-Liaison-Background"];
      if (e.detail.successful && !background) {
        deadline = Date.now() + Number(info.dataset.idleMs);
        warning.hidden = true;
      }
    });
    setInterval(tick, 15000);
    tick();
  }

  // Live lists poll every 20 s; skip a poll while the tab is hidden (the next one catches up).
  document.body.addEventListener("htmx:beforeRequest", function (e) {
    if (document.hidden && e.detail.elt && e.detail.elt.dataset && e.detail.elt.dataset.poll === "true") {
      e.preventDefault();
    }
  });

  // After a failed submit, move focus to the error summary so it is read out and its links
  // lead to each field; the same when htmx swaps in a form that carries one.
  var focusErrorSummary = function (root) {
    var summary = root.querySelector(".app-error-summary");
    if (summary) {
      summary.focus();
    }
  };
  focusErrorSummary(document);
  document.body.addEventListener("htmx:afterSwap", function (e) {
    focusErrorSummary(e.detail.target.parentNode || document);
  });

  // Questions that apply only to one answer (a lawful basis when consent is not required, a
  // reason when declining) are shown only when that answer is chosen. Without JavaScript they
  // are always shown and the server checks them the same way.
  var conditionals = document.querySelectorAll("[data-shown-when]");
  var applies = function (el) {
    var rule = el.getAttribute("data-shown-when");
    var at = rule.indexOf("=");
    var name = rule.slice(0, at);
    var value = rule.slice(at + 1);
    var fields = document.getElementsByName(name);
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "radio" || f.type === "checkbox" ? f.checked && f.value === value : f.value === value) {
        return true;
      }
    }
    return false;
  };
  var reveal = function () {
    for (var i = 0; i < conditionals.length; i++) {
      conditionals[i].hidden = !applies(conditionals[i]);
    }
  };
  if (conditionals.length) {
    reveal();
    document.addEventListener("change", reveal);
  }

  // Report CSP violations on the page itself too, so tests and support staff can see them.
  document.addEventListener("securitypolicyviolation", function () {
    var n = Number(document.documentElement.dataset.cspViolations || "0");
    document.documentElement.dataset.cspViolations = String(n + 1);
  });
})();
