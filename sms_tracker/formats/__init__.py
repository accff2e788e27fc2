"""Our date formats per language (FORMAT_MODULE_PATH): Django's own for everything else.

`{{ d|day }}` (kernel/templatetags/dates.py) writes MONTH_DAY_FORMAT in the current year and
DATE_FORMAT otherwise; `{{ d|month }}` writes YEAR_MONTH_FORMAT. The app's dates are short ("6 Nov",
"6 Nov 2026", "Nov 2026"), so each language's formats here use the abbreviated month.
"""
