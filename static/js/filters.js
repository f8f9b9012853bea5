// The register's filters fold away on a phone, so the results are not far down the page;
// they stay open when a filter is in use, and on wider screens.
const filters = document.getElementById("filters");
if (filters && !filters.hasAttribute("data-in-use") && window.matchMedia("(max-width: 40.0525em)").matches) {
  filters.open = false;
}
