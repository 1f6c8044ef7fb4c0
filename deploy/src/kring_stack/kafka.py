"""One Kafka node in KRaft mode (broker and controller), from the Maven Central jars."""

import base64
import hashlib
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient

from kring_stack.blocking import run_blocking
from kring_stack.processes import (
    StackError,
    ensure_port_free,
    launch,
    port_answers,
    running_pid,
    stop,
    stop_from_pid_file,
    wait_until,
)
from kring_stack.profiles import CACHE_DIR, REPO_ROOT, Profile

POM = REPO_ROOT / "deploy" / "kafka" / "pom.xml"
JVM_OPTIONS = ("-Xms256m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true")

LOG4J2_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <Console name="stdout" target="SYSTEM_OUT">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="stdout"/></Root>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Logger name="org.apache.kafka.clients" level="WARN"/>
    <Logger name="org.apache.kafka.common.config.AbstractConfig" level="WARN"/>
  </Loggers>
</Configuration>
"""


def kafka_version() -> str:
    found = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", POM.read_text())
    if not found:
        raise StackError(f"no <kafka.version> in {POM}")
    return found.group(1)


def jars_dir() -> Path:
    """Shared by all profiles and kept by --fresh: fetching costs a Maven run."""
    return CACHE_DIR / f"kafka-{kafka_version()}"


def fetch_jars() -> Path:
    target = jars_dir()
    # The marker holds the pom's digest, so a changed pom (e.g. another log4j) fetches anew.
    pom_digest = hashlib.sha256(POM.read_bytes()).hexdigest()
    if _fetched_digest(target) == pom_digest:
        return target
    mvn = shutil.which("mvn")
    if mvn is None:
        raise StackError("Maven is needed once to fetch Kafka: apt-get install -y maven")
    # Fetch into a private folder and rename, so a half-done fetch is never taken for a cache.
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    result = subprocess.run(
        [
            mvn,
            *("-q", "-B", "-f", str(POM), "dependency:copy-dependencies"),
            *("-DincludeScope=runtime", f"-DoutputDirectory={partial}"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        raise StackError(f"fetching the Kafka jars failed:\n{result.stdout}{result.stderr}")
    (partial / ".complete").write_text(pom_digest)
    outdated = target.with_name(f"{target.name}.outdated-{os.getpid()}")
    if target.exists():
        target.rename(outdated)  # a running broker keeps reading its open jars
    try:
        partial.rename(target)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)  # a concurrent fetch finished first
        if _fetched_digest(target) != pom_digest:
            raise
    shutil.rmtree(outdated, ignore_errors=True)
    return target


def _fetched_digest(jars: Path) -> str | None:
    try:
        return (jars / ".complete").read_text()
    except OSError:
        return None


def bootstrap_servers(profile: Profile) -> str:
    return f"127.0.0.1:{profile.kafka_port}"


def _config_file(profile: Profile) -> Path:
    return profile.kafka_dir / "server.properties"


def _pid_file(profile: Profile) -> Path:
    return profile.run_dir / "kafka.pid"


def _log_file(profile: Profile) -> Path:
    return profile.logs_dir / "kafka.log"


def _write_config(profile: Profile) -> Path:
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": f"1@127.0.0.1:{profile.kafka_controller_port}",
        "listeners": (
            f"PLAINTEXT://127.0.0.1:{profile.kafka_port},"
            f"CONTROLLER://127.0.0.1:{profile.kafka_controller_port}"
        ),
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{profile.kafka_port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs": str(profile.kafka_dir / "data"),
        # Topics come only from kring_contracts.TOPICS, so a typo in a name fails loudly.
        "auto.create.topics.enable": "false",
        "num.partitions": "1",
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
        "num.network.threads": "2",
        "num.io.threads": "4",
    }
    config = _config_file(profile)
    config.write_text("".join(f"{key}={value}\n" for key, value in settings.items()))
    (profile.kafka_dir / "log4j2.xml").write_text(LOG4J2_XML)
    return config


def _java() -> str:
    if java_home := os.environ.get("JAVA_HOME"):
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise StackError("Java is needed for Kafka: apt-get install -y default-jdk-headless")
    return java


def _java_command(profile: Profile, jars: Path, main_class: str, *args: str) -> list[str]:
    return [
        _java(),
        *JVM_OPTIONS,
        f"-Dlog4j2.configurationFile={profile.kafka_dir / 'log4j2.xml'}",
        "-cp",
        f"{jars}/*",
        main_class,
        *args,
    ]


def _cluster_id() -> str:
    """What `StorageTool random-uuid` prints (base64url of 16 random bytes), without a JVM."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):  # Kafka avoids ids that read like command-line options
            return text


def _format_storage(profile: Profile, jars: Path, config: Path) -> None:
    if (profile.kafka_dir / "data" / "meta.properties").exists():
        return
    command = _java_command(
        profile, jars, "kafka.tools.StorageTool", "format", "-t", _cluster_id(), "-c", str(config)
    )
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise StackError(f"formatting Kafka storage failed:\n{result.stdout}{result.stderr}")


def kafka_pid(profile: Profile) -> int | None:
    return running_pid(_pid_file(profile), str(_config_file(profile)))


def launch_kafka(profile: Profile) -> int:
    """Start the broker in the background without waiting; returns its pid."""
    profile.ensure_dirs()
    if (pid := kafka_pid(profile)) is not None:
        return pid
    jars = fetch_jars()
    config = _write_config(profile)
    _format_storage(profile, jars, config)
    ensure_port_free(profile.kafka_port, "Kafka")
    ensure_port_free(profile.kafka_controller_port, "the Kafka controller")
    return launch(
        _java_command(profile, jars, "kafka.Kafka", str(config)),
        log_file=_log_file(profile),
        pid_file=_pid_file(profile),
    )


async def _serves_metadata(bootstrap: str) -> bool:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    try:
        await admin.start()
        cluster = await admin.describe_cluster()
        return bool(cluster.get("brokers"))
    except Exception:
        return False
    finally:
        await admin.close()


def wait_for_kafka(profile: Profile, timeout: float = 90.0) -> None:
    """Wait until the broker answers metadata requests (it has registered with its controller)."""
    pid = kafka_pid(profile)
    if pid is None:
        raise StackError(f"Kafka is not running\n{_log_file(profile)}")
    bootstrap = bootstrap_servers(profile)
    wait_until(
        lambda: port_answers(profile.kafka_port) and run_blocking(_serves_metadata(bootstrap)),
        what="Kafka",
        timeout=timeout,
        pid=pid,
        log_file=_log_file(profile),
        interval=0.25,
    )


def start_kafka(profile: Profile) -> None:
    pid = launch_kafka(profile)
    try:
        wait_for_kafka(profile)
    except StackError:
        stop(pid)
        raise


def stop_kafka(profile: Profile) -> bool:
    """SIGTERM (a clean shutdown), then SIGKILL after 30 s; True if it was running."""
    return stop_from_pid_file(_pid_file(profile), str(_config_file(profile)))


def restart_kafka(profile: Profile) -> None:
    stop_kafka(profile)
    start_kafka(profile)
