"""What moving up a level pays, guide by guide. Guides disagree on pay, so a gap is only ever
taken between two bands of the same guide in the same currency: nothing is averaged or mixed."""

from dataclasses import dataclass

from roadmap.models import Level, SalaryBand, Source


@dataclass(frozen=True)
class SalaryGap:
    source: Source
    lower: SalaryBand | None  # the band of the level moved from; None: the guide gives none
    upper: SalaryBand | None  # the band of the level moved to
    low: int | None  # upper.min - lower.min
    high: int | None  # upper.max - lower.max; None when either end is open ("$300,000+")

    @property
    def comparable(self) -> bool:
        return self.low is not None

    @property
    def label(self) -> str:
        """ "+$40,000 to +$60,000", "+$150,000 at the low end (the top is open-ended)", or why not."""
        if self.lower is None or self.upper is None:
            return "no figure for " + ("the lower level" if self.lower is None else "the higher level")
        if self.low is None:
            return "figures in different currencies"
        if self.high is None:
            return f"{_signed(self.low, self.upper)} at the low end (the top is open-ended)"
        return f"{_signed(self.low, self.upper)} to {_signed(self.high, self.upper)}"


def _signed(amount: int, band: SalaryBand) -> str:
    sign = "+" if amount >= 0 else "−"
    figure = f"${abs(amount):,}" if band.currency == "USD" else f"{abs(amount):,} {band.currency}"
    return f"{sign}{figure}"


def _closed(*bands: SalaryBand) -> bool:
    """Bands whose top is a figure, not "$300,000+" or "$180,000 – $300,000+"."""
    return not any(band.open_ended for band in bands)


def salary_gaps(lower: Level, upper: Level) -> list[SalaryGap]:
    """One row per guide that gives a band for either level, in the guides' order; prefetch
    `salary_bands__source` on both levels before calling it for several."""
    below = {band.source_id: band for band in lower.salary_bands.all()}
    above = {band.source_id: band for band in upper.salary_bands.all()}
    rows = []
    for source_id in below.keys() | above.keys():
        low_band, high_band = below.get(source_id), above.get(source_id)
        # One of the two exists: the guide gives a band for at least one level.
        source = (high_band or low_band).source  # type: ignore[union-attr]
        low = high = None
        if low_band and high_band and low_band.currency == high_band.currency:
            low = high_band.min_amount - low_band.min_amount
            if low_band.max_amount is not None and high_band.max_amount is not None and _closed(low_band, high_band):
                high = high_band.max_amount - low_band.max_amount
        rows.append(SalaryGap(source, low_band, high_band, low, high))
    return sorted(rows, key=lambda row: row.source.number)
