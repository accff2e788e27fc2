from django.urls import path

from .views import invitations, members, projects, roadmap, task_bulk, task_work, tasks

app_name = "projects"

P = "projects/<int:project_id>/"
T = "tasks/<int:task_id>/"

urlpatterns = [
    path("projects/", projects.project_list, name="list"),
    path("projects/new/", projects.project_create, name="create"),
    path("my-work/", tasks.my_work, name="my_work"),
    path("invitations/", invitations.invitation_list, name="invitations"),
    path("invitations/<int:invitation_id>/accept/", invitations.invitation_accept, name="invitation_accept"),
    path(
        "invitations/<int:invitation_id>/join/<str:token>/",
        invitations.invitation_join,
        name="invitation_join",
    ),
    path(
        "invitations/<int:invitation_id>/decline/", invitations.invitation_decline, name="invitation_decline"
    ),
    path(P, projects.project_dashboard, name="dashboard"),
    path(P + "edit/", projects.project_edit, name="edit"),
    path(P + "history/", projects.project_history, name="history"),
    path(P + "members/", members.member_list, name="members"),
    path(
        P + "members/invitations/<int:invitation_id>/withdraw/",
        members.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path(P + "members/<int:membership_id>/role/", members.member_role, name="member_role"),
    path(P + "members/<int:membership_id>/remove/", members.member_remove, name="member_remove"),
    path(P + "roadmap/", roadmap.roadmap, name="roadmap"),
    path(P + "phases/<int:phase_id>/", roadmap.phase_detail, name="phase_detail"),
    path(P + "phases/<int:phase_id>/edit/", roadmap.phase_edit, name="phase_edit"),
    path(
        P + "phases/<int:phase_id>/milestones/<int:milestone_id>/toggle/",
        roadmap.milestone_toggle,
        name="milestone_toggle",
    ),
    path(P + "tasks/", tasks.task_list, name="task_list"),
    path(P + "tasks/new/", tasks.task_create, name="task_create"),
    path(P + "tasks/bulk/", task_bulk.task_bulk, name="task_bulk"),
    path(P + "tasks/<int:task_id>/", tasks.task_detail, name="task_detail"),
    path(P + "tasks/<int:task_id>/edit/", tasks.task_edit, name="task_edit"),
    path(P + "tasks/<int:task_id>/row/", tasks.task_row, name="task_row"),
    path(P + "tasks/<int:task_id>/complete/", tasks.task_complete, name="task_complete"),
    path(P + "tasks/<int:task_id>/delete/", tasks.task_delete, name="task_delete"),
    path(P + T + "comments/", task_work.comment_add, name="comment_add"),
    path(P + T + "comments/<int:comment_id>/edit/", task_work.comment_edit, name="comment_edit"),
    path(P + T + "comments/<int:comment_id>/delete/", task_work.comment_delete, name="comment_delete"),
    path(P + T + "attachments/", task_work.attachment_add, name="attachment_add"),
    path(
        P + T + "attachments/<int:attachment_id>/", task_work.attachment_download, name="attachment_download"
    ),
    path(
        P + T + "attachments/<int:attachment_id>/delete/",
        task_work.attachment_delete,
        name="attachment_delete",
    ),
]
