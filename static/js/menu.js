// Keep the side menu open on wide screens; on phones it folds into a <details>.
(function () {
  var menu = document.querySelector("nav.menu details");
  if (menu && window.matchMedia("(min-width: 900px)").matches) { menu.open = true; }
})();
