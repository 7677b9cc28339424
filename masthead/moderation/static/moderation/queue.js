// The moderation queue's keyboard and select-all. The page works without this file: every
// action is a plain form button; this only saves moderators the mouse.
(() => {
  "use strict";

  const queue = document.querySelector("[data-moderation-queue]");
  if (!queue) return;
  const form = queue.querySelector("[data-queue-form]");
  const help = queue.querySelector("[data-queue-help]");
  const selectAll = queue.querySelector("[data-select-all]");
  const items = () => Array.from(queue.querySelectorAll("[data-queue-item]"));
  const boxes = () => Array.from(queue.querySelectorAll("[data-select]"));
  const selected = () => boxes().filter((box) => box.checked);
  let current = -1;

  const markSelected = (box) => {
    box.closest("[data-queue-item]").classList.toggle("is-selected", box.checked);
  };

  const syncSelectAll = () => {
    const all = boxes();
    const ticked = selected().length;
    selectAll.checked = all.length > 0 && ticked === all.length;
    selectAll.indeterminate = ticked > 0 && ticked < all.length;
  };

  selectAll?.addEventListener("change", () => {
    boxes().forEach((box) => {
      box.checked = selectAll.checked;
      markSelected(box);
    });
  });
  boxes().forEach((box) =>
    box.addEventListener("change", () => {
      markSelected(box);
      syncSelectAll();
    }),
  );

  const focusItem = (index) => {
    const list = items();
    if (!list.length) return;
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach((item, position) => item.classList.toggle("is-current", position === current));
    list[current].focus({ preventScroll: true });
    list[current].scrollIntoView({ block: "nearest" });
  };

  const currentItem = () => items()[current] || null;

  // An action applies to the ticked comments when there are any, else to the focused one.
  const act = (action) => {
    if (selected().length) {
      form.querySelector("[data-bulk-action]").value = action;
      form.requestSubmit(form.querySelector("[data-bulk-apply]"));
      return;
    }
    const item = currentItem();
    const button = item?.querySelector(`[data-action="${action}"]`);
    if (button) form.requestSubmit(button);
  };

  const openBan = () => {
    const item = currentItem();
    const details = item?.querySelector("[data-ban]");
    if (!details) return;
    details.open = true;
    details.querySelector("[data-ban-reason]").focus();
  };

  // Enter in a row's ban reason bans that row's author (not the form's first button).
  queue.querySelectorAll("[data-ban-reason]").forEach((input) =>
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      form.requestSubmit(input.closest("[data-ban]").querySelector('[data-action="ban"]'));
    }),
  );

  items().forEach((item, index) => item.addEventListener("focusin", () => {
    current = index;
    items().forEach((other) => other.classList.toggle("is-current", other === item));
  }));

  const keys = {
    j: () => focusItem(current + 1),
    k: () => focusItem(current - 1),
    x: () => {
      const box = currentItem()?.querySelector("[data-select]");
      if (!box) return;
      box.checked = !box.checked;
      markSelected(box);
      syncSelectAll();
    },
    a: () => act("approve"),
    r: () => act("reject"),
    s: () => act("spam"),
    d: () => act("delete"),
    b: openBan,
    "?": () => {
      help.open = !help.open;
    },
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    // Typing a reason or a search must not trigger shortcuts.
    if (event.target.matches("input:not([type=checkbox]), textarea, select, [contenteditable]")) {
      return;
    }
    const handler = keys[event.key];
    if (!handler) return;
    event.preventDefault();
    handler();
  });
})();
