// Follows a scrutiny pack while it builds: updates the progress text and bar,
// and reloads the page once the pack is ready (or has failed, or was cancelled). Without
// JavaScript the page offers a refresh link instead.
const region = document.getElementById("pack-progress");
const building = region && ["queued", "building"].includes(region.dataset.status);

if (building) {
  const text = document.getElementById("pack-status-text");
  const bar = document.getElementById("pack-progress-bar");
  let lastDone = -1;
  let misses = 0;

  const poll = async () => {
    try {
      const response = await fetch(region.dataset.progressUrl, { headers: { Accept: "application/json" } });
      if (response.status === 404 || response.status === 403) {
        return; // deleted, or signed out: stop following
      }
      if (response.ok) {
        misses = 0;
        const pack = await response.json();
        if (!["queued", "building"].includes(pack.status)) {
          window.location.reload();
          return;
        }
        if (pack.status === "building" && pack.done !== lastDone) {
          lastDone = pack.done;
          text.textContent = `Being built: ${pack.done} of ${pack.total} partnership${pack.total === 1 ? "" : "s"} done.`;
          bar.value = pack.done;
        }
      }
    } catch (error) {
      misses += 1; // a dropped request: try again, but not for ever
    }
    if (misses < 20) {
      window.setTimeout(poll, 1500);
    }
  };
  window.setTimeout(poll, 1000);
}
