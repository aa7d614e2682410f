// Whose work is this? (included in a script by the list of lessons, tree-lab.html, and the lessons' page,
// index.html.j2).  A participant gives a name once, in a lesson's "Your name" box (kamwidgets/widgets/
// js/workbook.js, which keeps it the same way); the browser keeps it in localStorage and in a cookie, and
// every lesson's address carries it as ?workbook=NAME, which is how the lesson's kernel learns it.  The
// cookie lets the workshop's server (kamwidgets.page_assets.name_first) send a lesson asked for without a
// name on with it before anything of the lesson runs.
/* exported kamWorkbook */ // (read by the pages that include this script)
const kamWorkbook = (() => {
  const KEY = "kamwidgets.workbook";
  const COOKIE = "kamwidgets_workbook";
  const cookieNow = () => {
    const found = document.cookie.split("; ").find((c) => c.startsWith(COOKIE + "="));
    try { return found ? decodeURIComponent(found.slice(COOKIE.length + 1)) : ""; } catch (e) { return ""; }
  };
  const keepCookie = (name) => {
    if (cookieNow() !== name) {
      document.cookie = `${COOKIE}=${encodeURIComponent(name)}; path=/; max-age=31536000; SameSite=Lax`;
    }
  };
  // The name this browser keeps ("" when none); a name kept before the cookie existed gets its cookie.
  const remembered = () => {
    let name = "";
    try { name = window.localStorage.getItem(KEY) || ""; } catch (e) { name = ""; }
    name = name || cookieNow();
    if (name) keepCookie(name);
    return name;
  };
  const remember = (name) => {
    try { window.localStorage.setItem(KEY, name); } catch (e) { /* private mode: the cookie and URL carry it */ }
    keepCookie(name);
  };
  // ``href`` with ?workbook=name (in place of any it had), or as it was when there is no name.
  const carried = (href, name) => {
    if (!name) return href;
    const url = new URL(href, window.location.href);
    url.searchParams.set("workbook", name);
    return url.toString();
  };
  // The page's own ?workbook=NAME, kept for the other lessons ("default" is the workbook of no name).
  const given = (new URL(window.location.href).searchParams.get("workbook") || "").trim();
  if (given && given !== "default") remember(given);
  return { given, remembered, remember, carried };
})();
