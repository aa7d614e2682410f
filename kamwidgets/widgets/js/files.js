// Files between the browser and the kernel, without server paths.
// An upload is read in the browser and sent in pieces (a websocket message
// has a size limit on the server); a download is a Blob the browser saves.
import "./a11y.js";
import "./files.css";

const CHUNK = 1 << 20;

// The browser's own file input says "No file chosen" again once a file is sent (it is emptied, so that the
// same file can be sent twice), under a status that names the file received: it is hidden, and a button of
// the page opens it; the status line alone says which file is in use.
function chooser(input, id, statusId) {
  input.className = "kam-file-input";
  input.tabIndex = -1;
  input.setAttribute("aria-hidden", "true");
  const choose = document.createElement("button");
  choose.type = "button";
  choose.id = id + "-choose";
  choose.className = "jupyter-button widget-button kam-file-choose";
  choose.textContent = "Choose a file";
  choose.setAttribute("aria-labelledby", `${id}-title ${choose.id}`);
  choose.setAttribute("aria-describedby", statusId);
  choose.addEventListener("click", () => input.click());
  return choose;
}

function uploader({ model, el }) {
  const box = document.createElement("div");
  box.className = "kam-file";
  const id = "kam-upload-" + Math.random().toString(36).slice(2);
  const title = document.createElement("div");
  title.id = id + "-title";
  title.className = "kam-file-title";
  title.textContent = model.get("description");
  const input = document.createElement("input");
  input.type = "file";
  input.id = id;
  input.accept = model.get("accept");
  const status = document.createElement("div");
  status.id = id + "-status";
  status.className = "kam-file-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const choose = chooser(input, id, status.id);
  const show = () => { status.textContent = model.get("status"); };
  model.on("change:status", show);
  show();
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    const limit = model.get("max_bytes");
    if (file.size > limit) {
      model.send({ event: "refused", name: file.name, size: file.size });
      input.value = "";
      return;
    }
    model.send({ event: "start", name: file.name, size: file.size });
    for (let start = 0, i = 0; start < file.size; start += CHUNK, i += 1) {
      const piece = await file.slice(start, start + CHUNK).arrayBuffer();
      model.send({ event: "chunk", index: i }, undefined, [piece]);
    }
    model.send({ event: "end", name: file.name, size: file.size });
    input.value = "";
  });
  box.append(title, choose, input, status);
  el.append(box);
}

function downloader({ model, el }) {
  const button = document.createElement("button");
  button.className = "jupyter-button widget-button kam-download";
  button.type = "button";
  const status = document.createElement("span");
  status.className = "kam-file-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const show = () => {
    button.textContent = model.get("description");
    status.textContent = model.get("status");
  };
  model.on("change:description", show);
  model.on("change:status", show);
  show();
  button.addEventListener("click", () => model.send({ event: "request" }));
  model.on("msg:custom", (msg, buffers) => {
    if (!msg || msg.event !== "file") return;
    const blob = new Blob(buffers.map((b) => (b.buffer ? b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) : b)), { type: msg.mime });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = msg.filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  });
  // the file's name and size go under its button, within the button's width: a row of buttons stays a
  // tidy grid after downloads, however long the names
  const item = document.createElement("div");
  item.className = "kam-download-item";
  item.append(button, status);
  el.append(item);
}

export default {
  render({ model, el }) {
    if (model.get("role") === "upload") uploader({ model, el });
    else downloader({ model, el });
  },
};
