"""The date range of the Usage page: two days, the current month to date by default."""

from datetime import date, datetime, timedelta

from django import forms

from billing.periods import local_date, month_of

LONGEST_RANGE = timedelta(days=366)


class DateRangeForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The last day comes on or after the first day.")
        elif start and end and end - start > LONGEST_RANGE:
            self.add_error("end", "Choose at most a year.")
        return data

    def days(self, now: datetime) -> tuple[date, date]:
        """The chosen first and last days; what is missing or wrong falls back to this month to date."""
        today = local_date(now)
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or month_of(now).first_day
        end = data.get("end") or max(today, start)
        return start, end
