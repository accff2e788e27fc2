from django.urls import path

from . import views

app_name = "ticket_evidence"

R = "rules/<int:rule_id>/"
P = "populations/<int:population_id>/"
S = "samples/<int:sample_id>/"
T = S + "items/<int:item_id>/"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("freeze/", views.freeze, name="freeze"),
    path("rules/", views.rules, name="rules"),
    path(R + "edit/", views.rule_edit, name="rule_edit"),
    path(R + "move/", views.rule_move, name="rule_move"),
    path(R + "delete/", views.rule_delete, name="rule_delete"),
    path(P, views.population, name="population"),
    path(P + "export.xlsx", views.population_export, name="population_export"),
    path(P + "sample/", views.sample_draw, name="sample_draw"),
    path(
        "populations/<slug:process_slug>/<str:month>/", views.population_by_month, name="population_by_month"
    ),
    path(S, views.sample, name="sample"),
    path(S + "evidence/", views.sample_evidence, name="sample_evidence"),
    path(T + "mark/", views.item_mark, name="item_mark"),
    path(T + "finding/", views.item_finding, name="item_finding"),
]
