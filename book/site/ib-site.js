/* The book's site script, loaded on every page before the theme's deferred scripts.
 *
 * Font Awesome (loaded by the theme) replaces every <i class="fa ..."> with an <svg> by default.
 * The ipywidgets Play button keeps a reference to its <i> icon and throws on every change once
 * the icon is swapped, which also breaks the jslink chain that drives a demo. "nest" puts the
 * <svg> inside the <i> instead, so the element the widget holds stays in the page.
 */
window.FontAwesomeConfig = Object.assign(window.FontAwesomeConfig || {}, {autoReplaceSvg: "nest"});
