"""A real Request Tracker 5 for the tests: its own SQLite database and site config in a temporary
directory, `rt-server` (the standalone server of rt5-standalone) on a free port of the range, started
once per test session. The auth token and custom fields are made through RT's own Perl API; tickets
through REST2 with basic auth as root (whose initial password is "password")."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from tests.connectors.fake_tools import free_port

RT_LIB = "/usr/share/request-tracker5/lib"
RT_SERVER = "/usr/share/request-tracker5/libexec/rt-server"
RT_SETUP = "/usr/sbin/rt-setup-database"

SITE_CONFIG = """
Set($rtname, 'sms-tracker-test');
Set($Organization, 'rt.test');
Set($WebDomain, '127.0.0.1');
Set($WebPort, {port});
Set($WebPath, '');
Set($Timezone, 'UTC');
Set($DatabaseType, 'SQLite');
Set($DatabaseName, '{root}/rt.db');
Set($LogToSTDERR, 'error');
Set($LogToSyslog, undef);
Set($LogToFile, undef);
Set(%GnuPG, Enable => 0);
Set(%SMIME, Enable => 0);
Set($MailCommand, 'testfile');
Set($RestrictReferrer, 0);
Set($CorrespondAddress, 'rt@rt.test');
Set($CommentAddress, 'rt-comment@rt.test');
1;
"""

BOOT = r"""
use strict; use warnings;
use RT; RT::LoadConfig(); RT::Init();
my $root = RT::User->new(RT->SystemUser); $root->Load("root");
for my $name (qw(Type Category Service Emergency Outcome)) {
  my $cf = RT::CustomField->new(RT->SystemUser);
  my ($ok, $msg) = $cf->Create(Name => $name, Type => 'FreeformSingle', LookupType => 'RT::Queue-RT::Ticket');
  die "custom field $name: $msg" unless $ok;
  ($ok, $msg) = $cf->AddToObject(RT::Queue->new(RT->SystemUser));
  die "apply $name: $msg" unless $ok;
}
my $t = RT::AuthToken->new(RT->SystemUser);
my ($ok, $msg, $token) = $t->Create(Owner => $root->id, Description => "sms-tracker tests");
die $msg unless $ok;
print "TOKEN=$token\n";
"""


# Tickets of past months through RT's own Perl API (REST2 may not set Created: it is immutable there),
# as an import into RT does: Created and Resolved as given, then the status changes listed in "then"
# (each a real Status transaction, as a person's reopen is). Reads JSON on stdin, prints the ids.
BACKDATE = r"""
use strict; use warnings;
use RT; RT::LoadConfig(); RT::Init();
use JSON;
my $spec = JSON::decode_json(do { local $/; <STDIN> });
for my $name (@{$spec->{queues}}) {
  my $q = RT::Queue->new(RT->SystemUser); $q->Load($name);
  next if $q->id;
  my ($ok, $msg) = $q->Create(Name => $name); die "queue $name: $msg" unless $ok;
}
my %ids;
for my $t (@{$spec->{tickets}}) {
  my $ticket = RT::Ticket->new(RT->SystemUser);
  my ($id, $txn, $msg) = $ticket->Create(
    Queue => $t->{queue}, Subject => $t->{subject}, Status => $t->{status},
    Created => $t->{created}, ($t->{resolved} ? (Resolved => $t->{resolved}) : ()),
  );
  die "ticket $t->{key}: $msg" unless $id;
  for my $cf (sort keys %{$t->{custom} || {}}) {
    my ($ok, $m) = $ticket->AddCustomFieldValue(Field => $cf, Value => $t->{custom}{$cf});
    die "ticket $t->{key} field $cf: $m" unless $ok;
  }
  for my $status (@{$t->{then} || []}) {
    my ($ok, $m) = $ticket->SetStatus($status); die "ticket $t->{key} to $status: $m" unless $ok;
  }
  $ids{$t->{key}} = $id;
}
print "IDS=" . JSON::encode_json(\%ids) . "\n";
"""


def missing() -> str | None:
    for path in (RT_SERVER, RT_SETUP, f"{RT_LIB}/RT.pm"):
        if not Path(path).exists():
            return (
                f"{path} is missing: install request-tracker5, rt5-db-sqlite and rt5-standalone "
                "(scripts/system-deps.sh)"
            )
    return None


class RTServer:
    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="rt5-test-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        (self.root / "conf.d").mkdir()
        (self.root / "RT_SiteConfig.pm").write_text(SITE_CONFIG.format(port=self.port, root=self.root))
        self.env = {
            **os.environ,
            "RT_SITE_CONFIG": str(self.root / "RT_SiteConfig.pm"),
            "RT_SITE_CONFIG_DIR": str(self.root / "conf.d"),
            "PERL5LIB": RT_LIB,
        }
        self.process = None
        self.token = None

    def run(self, *args, timeout=120, stdin: str | None = None) -> str:
        done = subprocess.run(
            args, env=self.env, cwd=self.root, capture_output=True, text=True, timeout=timeout, input=stdin
        )
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout

    def start(self):
        self.run(
            RT_SETUP, "--action", "init", "--skip-create", "--dba", "", "--dba-password", "", timeout=300
        )
        output = self.run("perl", "-e", BOOT)
        self.token = next(line[6:] for line in output.splitlines() if line.startswith("TOKEN="))
        log = open(self.root / "server.log", "w")
        self.process = subprocess.Popen(
            [RT_SERVER, "--port", str(self.port)],
            env=self.env,
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its workers at the end
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"rt-server exited: {(self.root / 'server.log').read_text()[-2000:]}")
            try:
                if requests.get(self.url + "REST/2.0/queues/all", auth=("root", "password"), timeout=5).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError("rt-server did not answer within 90 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)

    # RT's own REST2, as root: what a person using RT does.
    def api(self, method, path, json=None):
        response = requests.request(
            method, self.url + "REST/2.0/" + path, json=json, auth=("root", "password"), timeout=30
        )
        response.raise_for_status()
        return response.json()

    def create_queue(self, name):
        return self.api("POST", "queue", {"Name": name})["id"]

    def create_ticket(self, queue, subject, **custom):
        fields = {"Queue": queue, "Subject": subject}
        if "Priority" in custom:
            fields["Priority"] = str(custom.pop("Priority"))
        if custom:
            fields["CustomFields"] = custom
        return self.api("POST", "ticket", fields)["id"]

    def create_backdated(self, queues: list[str], tickets: list[dict]) -> dict[str, int]:
        """{key: RT id} of tickets made with their own Created/Resolved times and status changes."""
        output = self.run("perl", "-e", BACKDATE, stdin=json.dumps({"queues": queues, "tickets": tickets}))
        line = next(line for line in output.splitlines() if line.startswith("IDS="))
        return {key: int(value) for key, value in json.loads(line[4:]).items()}

    def update_ticket(self, ticket_id, **fields):
        return self.api("PUT", f"ticket/{ticket_id}", fields)
