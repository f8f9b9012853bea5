from playwright.sync_api import expect

from tests.browser.conftest import log_in


def test_a_lead_member_reads_the_partnership_tree_and_opens_a_branch(page, demo, axe):
    log_in(page, demo.url, "member", next_url=None)
    page.goto(f"{demo.url}/register/")
    page.get_by_role("link", name="See the partnership tree").click()
    expect(page.get_by_role("heading", name="Partnership tree", level=1)).to_be_visible()
    expect(page.locator(".app-tree__svg line").first).to_be_attached()  # drawn
    axe(page)
    tree = page.locator("ul.app-tree")
    child = tree.locator(".app-tree__children a").first  # a sub-partnership, in the list
    name = child.inner_text()
    child.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("#branch ~ ul [aria-current=page]")).to_have_text(name)
    axe(page)
