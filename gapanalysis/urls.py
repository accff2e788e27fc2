app_name = "gapanalysis"

urlpatterns: list = []
