/* Loaded on pages with widgets, between require.js and the ipywidgets HTML manager
 * (see nb_ipywidgets_js in _config.yml); everything is served from this site's _static/.
 *
 * The manager's AMD modules compute where their font files are from the module's URL, which
 * require.js makes relative to the *page* unless told where the bundle lives: pages in
 * sub-folders then ask for fonts that are not there (404). Map every module the bundle defines
 * to the bundle itself, so their base URL is _static/vendor/html-manager/.
 */
(function () {
  var here = document.currentScript.src;
  var staticUrl = here.slice(0, here.lastIndexOf("/") + 1);  // .../_static/
  var bundle = staticUrl + "vendor/html-manager/embed-amd";
  var names = ["@jupyter-widgets/base", "@jupyter-widgets/base7", "@jupyter-widgets/controls",
               "@jupyter-widgets/controls7", "@jupyter-widgets/html-manager",
               "@jupyter-widgets/html-manager/dist/libembed-amd"];
  var paths = {};
  names.forEach(function (n) { paths[n] = bundle; });
  window.require.config({paths: paths});
  window.__jupyter_widgets_assets_path__ = staticUrl + "vendor/html-manager/";
  /* A widget module the bundle does not contain would be fetched from a public CDN: point the
   * manager at a folder of this site instead, so it fails here (a 404 the tests see) rather than
   * reaching another host. */
  document.currentScript.setAttribute("data-jupyter-widgets-cdn", staticUrl + "vendor/npm/");
})();

/* Widget labels are typeset with the MathJax 2 API (MathJax.Hub.Queue) when MathJax is on the
 * page; this site serves MathJax 3, which has no Hub, so every label threw a TypeError. Give
 * MathJax 3 the one Hub call the widgets use, once the (deferred) MathJax script has run. */
document.addEventListener("DOMContentLoaded", function () {
  var mj = window.MathJax;
  if (!mj || mj.Hub || !mj.version || mj.version.charAt(0) !== "3") return;
  mj.Hub = {
    Queue: function (cmd) {
      var el = cmd && cmd[2];
      if (!el) return;
      mj.startup.promise
        .then(function () { return mj.typesetPromise([el]); })
        .catch(function (err) { console.warn("MathJax could not typeset a widget label", err); });
    }
  };
});
