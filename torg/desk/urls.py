from __future__ import annotations

from django.urls import path

from torg.desk.views import answers, cases, create, queues, records, shortcuts

app_name = "desk"
urlpatterns = [
    path("cases/", queues.case_list, name="case_list"),
    path("cases/bulk/", queues.case_bulk, name="case_bulk"),
    path("cases/agents/", queues.team_agents, name="team_agents"),
    path("cases/new/", create.case_create, name="case_create"),
    path("cases/new/caller/", create.caller_info, name="caller_info"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/status/", cases.case_status, name="case_status"),
    path("cases/<int:pk>/assign/", cases.case_assign, name="case_assign"),
    path("cases/<int:pk>/reply/", cases.case_reply, name="case_reply"),
    path("cases/<int:pk>/answer/", cases.case_answer, name="case_answer"),
    path("cases/<int:pk>/edit/", cases.case_update, name="case_update"),
    path("cases/<int:pk>/link/", records.case_link, name="case_link"),
    path("cases/<int:pk>/merge/", records.case_merge, name="case_merge"),
    path("cases/<int:pk>/time/", records.case_time, name="case_time"),
    path("cases/<int:pk>/files/<int:file_pk>/", records.attachment_download, name="attachment_download"),
    path("cases/answers/", answers.answer_list, name="answer_list"),
    path("cases/answers/new/", answers.answer_form, name="answer_create"),
    path("cases/answers/<int:pk>/edit/", answers.answer_form, name="answer_update"),
    path("queues/save/", queues.queue_save, name="queue_save"),
    path("queues/<int:pk>/delete/", queues.queue_delete, name="queue_delete"),
    path("shortcuts/", shortcuts.shortcut_list, name="shortcuts"),
]
