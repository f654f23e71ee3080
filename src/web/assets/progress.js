// Live progress of lexbridge serve's passes: fills the #progress section of the page from the
// server-sent events of /progress/stream. The page shows the state at load without this script;
// the script only keeps it current. Loaded from this origin (CSP script-src 'self'), no build step.
const section = document.getElementById("progress");
if (section && "EventSource" in window) {
  const source = new EventSource("/progress/stream");
  source.addEventListener("progress", (event) => {
    const view = JSON.parse(event.data);
    section.dataset.state = view.state;
    for (const field of section.querySelectorAll("[data-field]")) {
      const value = view[field.dataset.field];
      if (field.tagName === "PROGRESS") field.value = value;
      else field.textContent = typeof value === "number" ? value.toLocaleString("en-US") : value;
    }
  });
}
