# English keeps the British conventions the app had with LANGUAGE_CODE "en-gb": day before month,
# weeks from Monday, d/m/Y input. What is not named here comes from Django's "en" (US) module, so
# en_GB's values are copied over it.
from django.conf.locale.en_GB import formats as _gb

DATE_FORMAT = "j M Y"  # 6 Nov 2026
MONTH_DAY_FORMAT = "j M"  # 6 Nov
YEAR_MONTH_FORMAT = "M Y"  # Nov 2026
TIME_FORMAT = _gb.TIME_FORMAT
DATETIME_FORMAT = _gb.DATETIME_FORMAT
SHORT_DATE_FORMAT = _gb.SHORT_DATE_FORMAT
SHORT_DATETIME_FORMAT = _gb.SHORT_DATETIME_FORMAT
FIRST_DAY_OF_WEEK = _gb.FIRST_DAY_OF_WEEK  # Monday
DATE_INPUT_FORMATS = _gb.DATE_INPUT_FORMATS
DATETIME_INPUT_FORMATS = _gb.DATETIME_INPUT_FORMATS
DECIMAL_SEPARATOR = _gb.DECIMAL_SEPARATOR
THOUSAND_SEPARATOR = _gb.THOUSAND_SEPARATOR
NUMBER_GROUPING = _gb.NUMBER_GROUPING
