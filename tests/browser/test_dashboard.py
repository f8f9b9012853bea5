import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in


def test_a_lead_member_filters_the_dashboard_and_follows_a_figure_to_the_register(page, demo, axe):
    log_in(page, demo.url, "member", next_url=None)
    page.goto(f"{demo.url}/register/")
    page.get_by_role("link", name="See the register on a dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.locator("#match-count")).to_contain_text("40 partnerships")
    # Every chart is a picture with its words and its figures in a table beside it.
    expect(page.locator("svg[role=img]")).to_have_count(6)
    expect(page.locator("#chart-assurance desc")).to_contain_text("Limited assurance")
    axe(page)

    page.get_by_label("Strategic or operational", exact=True).select_option("strategic")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/register/dashboard/\?.*scope=strategic"))
    expect(page.locator("#match-count")).to_contain_text("match your filters")
    axe(page)

    # A figure leads to the register, filtered to it and to the dashboard's own filter.
    page.locator("#chart-status").get_by_role("link", name="Active").click()
    expect(page).to_have_url(re.compile(r"/register/\?.*scope=strategic.*status=active|/register/\?.*status=active.*scope=strategic"))
    expect(page.get_by_role("heading", name="Partnership register")).to_be_visible()
    expect(page.locator(".app-filter-tags")).to_contain_text("Active")
    axe(page)


def test_a_lead_member_follows_a_heat_map_cell_to_the_partnerships_with_a_risk_there(page, demo, axe):
    log_in(page, demo.url, "member", next_url=None)
    page.goto(f"{demo.url}/register/dashboard/")
    # The heat map's figures are a table of links beside the picture: likely (4) × severe (5).
    cell = page.locator("#heat-map-table").get_by_role(
        "link", name=re.compile(r"with a high risk, Likely \(4\) × Severe \(5\)$"))
    expect(cell).to_have_count(1)
    count = int(cell.inner_text().split()[0])
    cell.click()
    expect(page).to_have_url(re.compile(r"/register/\?risk_cell=4-5$"))
    expect(page.get_by_role("heading", name="Partnership register")).to_be_visible()
    expect(page.locator("#register-table tbody tr")).to_have_count(count)
    expect(page.locator(".app-filter-tags")).to_be_visible()
    axe(page)
    # …and back to the dashboard of just those partnerships, the filter carried over.
    page.get_by_role("link", name="See these partnerships on a dashboard").click()
    expect(page).to_have_url(re.compile(r"/register/dashboard/\?risk_cell=4-5$"))
    expect(page.locator("#match-count")).to_contain_text(f"{count} partnership")
    axe(page)
