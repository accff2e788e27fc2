"""Example API client (docs/api-guide.md): list a project's open tasks, complete the first one of
yours, and answer a gap question with optimistic locking. Standard library only.

    SMS_TOKEN=smst_... SMS_API=http://127.0.0.1:8000/api/v1 python scripts/api_example.py
"""

import json
import os
import urllib.error
import urllib.request
import uuid

API = os.environ.get("SMS_API", "http://127.0.0.1:8000/api/v1").rstrip("/")


def call(method, path, body=None, **headers):
    request = urllib.request.Request(
        API + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {os.environ['SMS_TOKEN']}",
            "Content-Type": "application/json",
            **headers,
        },
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:  # problem details (application/problem+json)
        return error.code, json.load(error)


def task_line(task):
    """One line per task; a task without a due date says so (not "due None")."""
    due = f"due {task['due_date']}" if task.get("due_date") else "no due date"
    return f"  #{task['id']} {due} {task['title']}"


def main():
    status, projects = call("GET", "/projects/")
    project = projects["results"][0]
    print(f"{project['name']}: {project['progress']}% done, my role {project['my_role']}")

    status, tasks = call("GET", f"/projects/{project['id']}/tasks/?status=open&page_size=5")
    print(f"{tasks['count']} open tasks; the first {len(tasks['results'])}:")
    for task in tasks["results"]:
        print(task_line(task))

    task = tasks["results"][0]
    # The Idempotency-Key makes a retry after a timeout safe: the second call replays the first answer.
    key = str(uuid.uuid4())
    status, done = call(
        "POST", f"/projects/{project['id']}/tasks/{task['id']}/complete/", {}, **{"Idempotency-Key": key}
    )
    print(f"complete #{task['id']}: {status} {done.get('status', done.get('detail'))}")

    status, assessments = call("GET", f"/projects/{project['id']}/assessments/")
    assessment = assessments["results"][0]
    print(f"assessment “{assessment['title']}”: score {assessment['score_percent']}%")
    status, answers = call(
        "GET", f"/projects/{project['id']}/assessments/{assessment['id']}/answers/?clause=8.2"
    )
    answer = answers["results"][0]
    path = f"/projects/{project['id']}/assessments/{assessment['id']}/answers/{answer['id']}/"
    status, saved = call(
        "PATCH", path, {"result": "partial", "notes": "Checked via the API", "version": answer["version"]}
    )
    print(f"answer {answer['question_code']}: {status}, version {saved.get('version')}")
    status, conflict = call("PATCH", path, {"result": "conformant", "version": answer["version"]})  # stale
    print(f"stale version: {status} {conflict['title']}; current result {conflict['current']['result']}")


if __name__ == "__main__":
    main()
