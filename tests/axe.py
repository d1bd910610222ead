"""Accessibility checks for the browser tests (Playwright pages).

``axe_violations(page)`` runs axe-core (Deque's engine, vendored for the tests
only in ``tests/vendor/axe-core/``, MPL-2.0) on the page as it is and returns
its WCAG 2.1 A/AA and best-practice violations; ``assert_accessible`` fails on
any *serious* or *critical* one, naming each rule and element.
``assert_focus_visible`` walks the page with the Tab key and fails on a focused
element without a visible outline of 3:1 against what surrounds it.

axe-core is injected with ``page.evaluate``, which the page's
Content-Security-Policy does not govern: the page itself stays as served.
"""

from functools import cache
from pathlib import Path

AXE_PATH = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}


@cache
def _axe_source():
    return AXE_PATH.read_text()


def axe_violations(page):
    """axe-core's violations on ``page``: a list of dicts with ``id``,
    ``impact`` (minor, moderate, serious, critical), ``help`` and ``nodes``
    (each with ``target`` and ``summary``)."""
    # Colours read in the middle of a CSS transition (a button just pressed
    # fades from outline to filled in 0.15 s) are neither the start nor the end
    # state: wait until no transition or animation runs.
    # (A loop of evaluate: wait_for_function evaluates a string, which the
    # page's CSP forbids; an endless animation, a spinner, stops the wait at 1 s.)
    for _ in range(50):
        if page.evaluate("() => document.getAnimations().every((a) => a.playState !== 'running')"):
            break
        page.wait_for_timeout(20)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['summary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def assert_accessible(page, where=""):
    """No serious or critical axe-core violation on ``page``; returns all the
    violations (minor and moderate ones included) for the caller to count."""
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core on {where or page.url}:\n{describe(blocking)}"
    return violations


# The focused element's outline and the colour behind it (its first ancestor
# with an opaque background: the outline is drawn 2 px outside the element).
_FOCUS_STATE = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const rgb = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
    const luminance = ([r, g, b]) => {
        const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    let behind = element.parentElement, background = "rgb(255, 255, 255)";
    while (behind) {
        const colour = getComputedStyle(behind).backgroundColor;
        const parts = rgb(colour);
        if (parts.length >= 3 && (parts.length === 3 || parts[3] > 0.5)) { background = colour; break; }
        behind = behind.parentElement;
    }
    const [light, dark] = [luminance(rgb(style.outlineColor)), luminance(rgb(background))].sort((a, b) => b - a);
    const text = element.innerText || element.value || element.getAttribute("aria-label") || "";
    return {
        element: element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + " " + text.trim().slice(0, 40),
        outline: style.outlineStyle,
        width: parseFloat(style.outlineWidth) || 0,
        contrast: (light + 0.05) / (dark + 0.05),
    };
}"""


def assert_focus_visible(page, *, presses=40):
    """Press Tab up to ``presses`` times from the top of ``page``; each element
    that takes the focus shows an outline of at least 2 px whose colour has a
    contrast of at least 3:1 with the background around it (WCAG 2.4.7, and
    1.4.11 for the indicator). Returns how many elements were checked."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")
    seen, problems = [], []
    for _ in range(presses):
        page.keyboard.press("Tab")
        state = page.evaluate(_FOCUS_STATE)
        if state is None or (seen and state["element"] == seen[0]):
            break
        seen.append(state["element"])
        if state["outline"] == "none" or state["width"] < 2 or state["contrast"] < 3:
            problems.append(state)
    assert not problems, f"focus not visible on {page.url}: {problems}"
    return len(seen)
