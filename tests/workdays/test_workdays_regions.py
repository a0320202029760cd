import pytest

from workdays import region_chain


@pytest.mark.parametrize(
    ("code", "chain"),
    [
        ("CN", ["CN"]),
        ("540000", ["CN", "540000"]),
        ("540100", ["CN", "540000", "540100"]),
        ("540102", ["CN", "540000", "540100", "540102"]),
        ("540102002", ["CN", "540000", "540100", "540102", "540102002"]),
        ("540102002003", ["CN", "540000", "540100", "540102", "540102002", "540102002003"]),
        ("110101", ["CN", "110000", "110100", "110101"]),
    ],
)
def test_region_chain(code: str, chain: list[str]) -> None:
    assert region_chain(code) == chain


def test_region_chain_returns_a_copy() -> None:
    region_chain("540100").append("junk")
    assert region_chain("540100") == ["CN", "540000", "540100"]


@pytest.mark.parametrize(
    "code",
    [
        "",
        "cn",
        "China",
        "54",
        "5401",
        "54010",
        "5401000",
        "54010200",
        "5401020021",
        "5401020020031",
        "54010a",
        " 540100",
        "５４０１００",
    ],
)
def test_invalid_region_raises(code: str) -> None:
    with pytest.raises(ValueError, match="invalid region"):
        region_chain(code)
