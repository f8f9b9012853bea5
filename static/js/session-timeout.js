// The GOV.UK / HMRC timeout warning. A signed-in page knows how long its session has
// left; a couple of minutes before the end it opens a modal dialog offering to stay
// signed in (which extends the session without reloading the page, so nothing typed is
// lost) or to sign out. Escape also means "stay signed in". If nobody answers, it signs
// out and the sign-in page says why. Before warning, and again at the end, it asks the
// server how long is left (without extending it): another tab may have kept it going.
const dialog = document.getElementById("session-timeout");

if (dialog && typeof dialog.showModal === "function") {
  const { statusUrl, signedOutUrl } = dialog.dataset;
  const warning = Number(dialog.dataset.warning) * 1000;
  const form = dialog.querySelector("form");
  const countdown = dialog.querySelector("[data-countdown]");
  const announcement = dialog.querySelector("[data-countdown-announcement]");
  const csrfToken = form.querySelector("[name=csrfmiddlewaretoken]").value;
  let endsAt = Date.now() + Number(dialog.dataset.expiresIn) * 1000;
  let timer = null;
  let ticker = null;
  let announcedAt = 0;

  const secondsLeft = () => Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const describe = (s) => (s >= 60 ? plural(Math.ceil(s / 60), "minute") : plural(s, "second"));

  // Asks the server how long the session has left; a POST also extends it.
  const ask = async (method) => {
    const response = await fetch(statusUrl, {
      method,
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
      credentials: "same-origin",
      cache: "no-store",
    });
    if (!response.ok) {
      throw new Error(`session status: ${response.status}`);
    }
    const status = await response.json();
    endsAt = Date.now() + status.expires_in * 1000;
    return status;
  };

  const signOut = () => {
    const next = window.location.pathname + window.location.search;
    form.querySelector("[data-next]").value = `${signedOutUrl}&next=${encodeURIComponent(next)}`;
    form.submit();
  };

  const close = () => {
    window.clearInterval(ticker);
    if (dialog.open) {
      dialog.close();
    }
  };

  const tick = () => {
    const seconds = secondsLeft();
    countdown.textContent = describe(seconds);
    if (seconds === 0) {
      window.clearInterval(ticker);
      check(); // eslint-disable-line no-use-before-define
    } else if (Date.now() - announcedAt >= 20000) {
      // Screen readers hear the countdown every 20 seconds, not every second.
      announcement.textContent = `For your security, we will sign you out in ${describe(seconds)}.`;
      announcedAt = Date.now();
    }
  };

  const open = () => {
    if (!dialog.open) {
      dialog.showModal();
      announcedAt = Date.now(); // opening reads out the dialog's own text
    }
    window.clearInterval(ticker);
    tick();
    ticker = window.setInterval(tick, 1000);
  };

  const schedule = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(0, endsAt - warning - Date.now())); // eslint-disable-line no-use-before-define
  };

  const check = async () => {
    let status = null;
    try {
      status = await ask("GET");
    } catch (error) {
      // Not answered: go by what this page knew.
    }
    if (status && !status.signed_in) {
      signOut();
    } else if (endsAt - Date.now() > warning + 1000) {
      close(); // kept going elsewhere
      schedule();
    } else if (secondsLeft() === 0) {
      signOut();
    } else {
      open();
    }
  };

  const staySignedIn = async () => {
    try {
      const status = await ask("POST");
      if (!status.signed_in) {
        signOut();
        return;
      }
    } catch (error) {
      check();
      return;
    }
    close();
    schedule();
  };

  dialog.querySelector("[data-stay-signed-in]").addEventListener("click", staySignedIn);
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault(); // Escape: stay signed in, as HMRC's dialog does
    staySignedIn();
  });
  schedule();
}
