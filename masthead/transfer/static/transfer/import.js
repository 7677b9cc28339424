// The import run page's progress bar. While the run reads, checks or imports, it asks the
// run's status once a second and moves the bar; when the run moves on (its report is ready,
// it is done, refused or stopped), it reloads the page, which the server renders for the new
// stage. Without this file the page still works: reloading it by hand shows the same.
(() => {
  "use strict";

  const box = document.querySelector("[data-import-progress]");
  if (!box || box.dataset.active !== "true") return;
  const bar = box.querySelector("[data-progress-bar]");
  const percent = box.querySelector("[data-progress-percent]");
  const message = box.querySelector("[data-progress-message]");
  const stage = box.dataset.stage;
  const EVERY_MS = 1000;

  const show = (status) => {
    if (status.percent === null) {
      bar.removeAttribute("value"); // an indeterminate bar: the total is not known yet
      percent.textContent = "";
    } else {
      bar.value = status.percent;
      percent.textContent = `${status.percent}%`;
    }
    message.textContent = status.message;
  };

  const poll = async () => {
    try {
      const response = await fetch(box.dataset.statusUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const status = await response.json();
      show(status);
      if (status.stage !== stage) {
        window.location.reload();
        return;
      }
    } catch {
      message.textContent = box.dataset.offlineText;
    }
    window.setTimeout(poll, EVERY_MS);
  };

  window.setTimeout(poll, EVERY_MS);
})();
