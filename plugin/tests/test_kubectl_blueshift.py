"""Fast tests of kubectl-blueshift without a cluster: arguments, durations, release states, patches, the tree.

Run: python3 -m unittest discover -s plugin/tests (make test-plugin)."""
import argparse
import contextlib
import importlib.machinery
import importlib.util
import io
import pathlib
import unittest

_PATH = pathlib.Path(__file__).resolve().parent.parent / "kubectl-blueshift"
_loader = importlib.machinery.SourceFileLoader("kubectl_blueshift", str(_PATH))
_spec = importlib.util.spec_from_loader("kubectl_blueshift", _loader)
plugin = importlib.util.module_from_spec(_spec)
_loader.exec_module(plugin)


def parse(*argv):
    return plugin.parse_args(list(argv))


def usage_error(*argv):
    """The message argparse printed when it refused argv (exit code 2)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), raises(SystemExit) as caught:
        parse(*argv)
    assert caught.exception.code == plugin.EXIT_USAGE, caught.exception.code
    return err.getvalue()


@contextlib.contextmanager
def raises(kind):
    class Caught:
        exception = None
    caught = Caught()
    try:
        yield caught
    except kind as e:
        caught.exception = e
    else:
        raise AssertionError(f"{kind.__name__} not raised")


class FlagsAnywhereTest(unittest.TestCase):
    def test_namespace_before_the_verb(self):
        args = parse("-n", "bar", "promote", "foo")
        self.assertEqual((args.verb, args.name, args.namespace), ("promote", "foo", "bar"))

    def test_namespace_after_the_verb(self):
        args = parse("promote", "foo", "-n", "bar")
        self.assertEqual((args.verb, args.name, args.namespace), ("promote", "foo", "bar"))

    def test_long_flags_after_the_name_and_in_between(self):
        args = parse("status", "--namespace=bar", "foo", "--context", "prod", "--kubeconfig", "/k")
        self.assertEqual((args.namespace, args.context, args.kubeconfig, args.name), ("bar", "prod", "/k", "foo"))

    def test_a_flag_before_the_verb_survives_the_verb_parser(self):
        args = parse("--context", "prod", "-n", "bar", "get", "foo")
        self.assertEqual((args.context, args.namespace, args.kubeconfig), ("prod", "bar", None))

    def test_after_the_verb_wins_when_given_twice(self):
        self.assertEqual(parse("-n", "a", "abort", "foo", "-n", "b").namespace, "b")

    def test_flags_after_set_image(self):
        args = parse("set", "image", "foo", "app=shop:2", "-n", "bar")
        self.assertEqual((args.verb, args.set_verb, args.name, args.images, args.namespace),
                         ("set", "image", "foo", ["app=shop:2"], "bar"))

    def test_all_namespaces_with_list_before_or_after(self):
        self.assertTrue(parse("list", "-A").all_namespaces)
        self.assertTrue(parse("-A", "list").all_namespaces)
        self.assertTrue(parse("list", "--all-namespaces").all_namespaces)
        self.assertFalse(parse("list").all_namespaces)

    def test_all_namespaces_is_refused_for_other_verbs(self):
        self.assertIn("list only", usage_error("-A", "status", "foo"))

    def test_all_namespaces_is_unknown_after_a_verb_other_than_list(self):
        self.assertIn("unrecognized arguments: -A", usage_error("promote", "foo", "-A"))

    def test_undo_and_status_keep_their_own_flags(self):
        self.assertEqual(parse("undo", "foo", "--to-revision", "abc", "-n", "x").to_revision, "abc")
        args = parse("status", "foo", "-w", "--timeout", "5m", "-n", "x")
        self.assertEqual((args.watch, args.timeout, args.namespace), (True, 300, "x"))

    def test_status_without_timeout_does_not_wait(self):
        self.assertIsNone(parse("status", "foo").timeout)

    def test_a_bad_timeout_is_a_usage_error(self):
        self.assertIn("invalid duration", usage_error("status", "foo", "--timeout", "soon"))

    def test_the_help_lists_every_verb_with_its_kubectl_command_and_the_exit_codes(self):
        text = plugin.build_parser().format_help()
        for verb in plugin.VERBS:
            self.assertIn(f"\n  {verb}", text, verb)
        for line in ("kubectl get msd [-A]", "blueshift.dev/restartedAt", "/spec/template/spec/containers/0/image",
                     "3  the release ended Degraded, Aborted, RolledBack or Failed", "4  the timeout passed first"):
            self.assertIn(line, text)


class DurationTest(unittest.TestCase):
    def test_units_as_kubectl_writes_them(self):
        for text, seconds in (("90s", 90), ("5m", 300), ("1h30m", 5400), ("1.5h", 5400), ("500ms", 0.5),
                              ("2m30s", 150), ("0s", 0), ("45", 45), ("2.5", 2.5)):
            self.assertEqual(plugin.parse_duration(text), seconds, text)

    def test_refused(self):
        for text in ("", "s", "5x", "m5", "-5s", "5 m", "5m junk", "1d"):
            with self.assertRaises(argparse.ArgumentTypeError, msg=text):
                plugin.parse_duration(text)


def msd(phase, generation=2, observed=2, current="r2", stable="r2", **status):
    return {"metadata": {"name": "shop", "generation": generation, "uid": "u1", "namespace": "ns"},
            "spec": {"replicas": 2, "strategy": {"type": "BlueGreen"}},
            "status": {"phase": phase, "observedGeneration": observed, "currentRevision": current,
                       "stableRevision": stable, "readyReplicas": 2, **status}}


class ReleaseStateTest(unittest.TestCase):
    def test_released_when_healthy_for_this_generation_with_the_current_revision_stable(self):
        state, text = plugin.release_state(msd("Healthy"))
        self.assertEqual(state, plugin.RELEASED)
        self.assertIn("revision r2 is stable", text)

    def test_healthy_for_an_older_generation_is_not_released(self):
        self.assertEqual(plugin.release_state(msd("Healthy", generation=3, observed=2))[0], plugin.WAITING)

    def test_healthy_with_the_old_revision_stable_is_not_released(self):
        self.assertEqual(plugin.release_state(msd("Healthy", stable="r1"))[0], plugin.WAITING)

    def test_no_status_yet_is_waiting(self):
        m = msd("Healthy")
        del m["status"]
        self.assertEqual(plugin.release_state(m)[0], plugin.WAITING)

    def test_progressing_paused_promoting_wait(self):
        for phase in ("Progressing", "Paused", "Promoting"):
            self.assertEqual(plugin.release_state(msd(phase, stable="r1"))[0], plugin.WAITING, phase)

    def test_aborted_says_the_abort_reason(self):
        state, text = plugin.release_state(msd("Aborted", stable="r1", abortReason="aborted by the user"))
        self.assertEqual(state, plugin.FAILED)
        self.assertIn("Aborted: aborted by the user", text)

    def test_rolled_back_says_the_rollback_reason(self):
        state, text = plugin.release_state(msd("RolledBack", stable="r1", message="went back to r1",
                                               lastRollback={"reason": "error-rate 0.4 > 0.05"}))
        self.assertEqual(state, plugin.FAILED)
        self.assertIn("error-rate 0.4 > 0.05", text)
        self.assertIn("went back to r1", text)

    def test_failed_says_the_reconcile_error(self):
        state, text = plugin.release_state(msd("Failed", conditions=[
            {"type": "ReconcileError", "status": "True", "reason": "NotOwned", "message": "Service shop is not ours"}]))
        self.assertEqual(state, plugin.FAILED)
        self.assertIn("Service shop is not ours", text)

    def test_degraded_says_the_message(self):
        state, text = plugin.release_state(msd("Degraded", stable="r1", message="ProgressDeadlineExceeded: no Pod ready"))
        self.assertEqual(state, plugin.FAILED)
        self.assertIn("no Pod ready", text)

    def test_a_failed_phase_of_an_older_generation_keeps_waiting(self):
        self.assertEqual(plugin.release_state(msd("Aborted", generation=3, observed=2))[0], plugin.WAITING)


class StatusLoopTest(unittest.TestCase):
    """status() against a scripted sequence of MSDs; no sleeping."""

    def run_status(self, *states, argv=("status", "shop", "--timeout", "1m")):
        sequence = list(states)
        real_get, real_sleep = plugin.get_json, plugin.time.sleep
        plugin.get_json = lambda args, *what: sequence.pop(0) if len(sequence) > 1 else sequence[0]
        plugin.time.sleep = lambda seconds: None
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = plugin.status(parse(*argv))
        finally:
            plugin.get_json, plugin.time.sleep = real_get, real_sleep
        return code, out.getvalue(), err.getvalue()

    def test_plain_status_prints_a_failed_release_in_full(self):
        failed = msd("RolledBack", stable="r1")
        code, out, err = self.run_status(failed, argv=("status", "shop"))
        self.assertEqual(code, plugin.EXIT_RELEASED)
        self.assertEqual(out.strip(), plugin.describe(failed).strip())
        self.assertIn("RolledBack", out)

    def test_waits_through_the_release_and_exits_0(self):
        code, out, err = self.run_status(msd("Progressing", stable="r1"), msd("Paused", stable="r1"), msd("Healthy"))
        self.assertEqual(code, plugin.EXIT_RELEASED)
        self.assertEqual([l.split(":")[1].strip() for l in out.splitlines()], ["Progressing", "Paused", "released"])
        self.assertEqual(err, "")

    def test_an_abort_ends_it_with_3_and_the_reason_on_stderr(self):
        code, out, err = self.run_status(msd("Paused", stable="r1"),
                                         msd("Aborted", stable="r1", abortReason="aborted by the user"))
        self.assertEqual(code, plugin.EXIT_RELEASE_FAILED)
        self.assertEqual(err, "error: shop: Aborted: aborted by the user\n")
        self.assertNotIn("Aborted", out)

    def test_the_timeout_ends_it_with_4(self):
        code, out, err = self.run_status(msd("Paused", stable="r1"), argv=("status", "shop", "--timeout", "0s"))
        self.assertEqual(code, plugin.EXIT_TIMEOUT)
        self.assertIn("timed out after 0s: shop: Paused", err)

    def test_watch_with_timeout_prints_the_full_status_and_ends(self):
        code, out, err = self.run_status(msd("Paused", stable="r1", activeRevision="r1"), msd("Healthy"),
                                         argv=("status", "shop", "-w", "--timeout", "1m"))
        self.assertEqual(code, plugin.EXIT_RELEASED)
        self.assertIn("shop: Paused  active=r1", out)
        self.assertIn("shop: Healthy", out)

    def test_without_watch_or_timeout_it_prints_once(self):
        code, out, err = self.run_status(msd("Paused", stable="r1"), msd("Healthy"), argv=("status", "shop"))
        self.assertEqual((code, out.count("shop: ")), (0, 1))


class PatchTest(unittest.TestCase):
    SPEC = {"initContainers": [{"name": "init", "image": "i:1"}],
            "containers": [{"name": "app", "image": "a:1"}, {"name": "side", "image": "s:1"}]}

    def test_set_image_replaces_the_named_container_guarded_by_its_name(self):
        patch = plugin.image_patch(self.SPEC, [("side", "s:2"), ("init", "i:2")])
        self.assertEqual(patch, [
            {"op": "test", "path": "/spec/template/spec/containers/1/name", "value": "side"},
            {"op": "replace", "path": "/spec/template/spec/containers/1/image", "value": "s:2"},
            {"op": "test", "path": "/spec/template/spec/initContainers/0/name", "value": "init"},
            {"op": "replace", "path": "/spec/template/spec/initContainers/0/image", "value": "i:2"}])

    def test_an_unknown_container_names_the_known_ones(self):
        with self.assertRaisesRegex(LookupError, "no container 'web'.*app, side, init"):
            plugin.image_patch(self.SPEC, [("web", "w:1")])

    def test_image_pairs(self):
        self.assertEqual(plugin.parse_image_pairs(["app=reg:5000/a:1"]), [("app", "reg:5000/a:1")])
        for bad in ("app", "=a:1", "app="):
            with self.assertRaises(argparse.ArgumentTypeError, msg=bad):
                plugin.parse_image_pairs([bad])

    def test_restart_sets_the_annotation_in_the_template(self):
        self.assertEqual(plugin.restart_patch("2025-01-01T00:00:00Z"),
                         {"spec": {"template": {"metadata": {"annotations": {
                             "blueshift.dev/restartedAt": "2025-01-01T00:00:00Z"}}}}})


def rs(name, uid, revision, number, replicas, ready, image, owner="u1"):
    return {"kind": "ReplicaSet",
            "metadata": {"name": name, "uid": uid, "labels": {"blueshift.dev/revision": revision},
                         "annotations": {"blueshift.dev/revision-number": str(number)},
                         "ownerReferences": [{"uid": owner}], "creationTimestamp": "2025-01-01T00:00:00Z"},
            "spec": {"replicas": replicas, "template": {"spec": {"containers": [{"name": "app", "image": image}]}}},
            "status": {"replicas": replicas, "readyReplicas": ready}}


def pod(name, owner, ready=True):
    return {"kind": "Pod",
            "metadata": {"name": name, "ownerReferences": [{"uid": owner}], "creationTimestamp": "2025-01-01T00:00:00Z"},
            "spec": {"containers": [{"name": "app"}]},
            "status": {"phase": "Running", "containerStatuses": [{"ready": ready, "restartCount": 0}]}}


class TreeTest(unittest.TestCase):
    def test_revisions_newest_first_with_marks_pods_and_analysis(self):
        m = msd("Paused", stable="r1", current="r2", activeRevision="r1", previewRevision="r2",
                message="waiting for promote", analysis={"stage": "prePromotion", "revision": "r2", "verdict": "Successful"})
        m["metadata"]["creationTimestamp"] = "2025-01-01T00:00:00Z"
        objects = [rs("shop-r1", "s1", "r1", 1, 2, 2, "shop:1"), rs("shop-r2", "s2", "r2", 2, 2, 1, "shop:2"),
                   rs("other", "s3", "r9", 9, 1, 1, "x", owner="someone-else"),
                   pod("shop-r1-a", "s1"), pod("shop-r2-a", "s2"), pod("shop-r2-b", "s2", ready=False)]
        import datetime
        now = datetime.datetime(2025, 1, 1, 0, 5, tzinfo=datetime.timezone.utc)
        text = plugin.get_tree(m, objects, now)
        lines = text.splitlines()
        self.assertIn("Revisions:   current=r2 stable=r1 active=r1 preview=r2", text)
        self.assertIn("Analysis:    prePromotion of r2: Successful", text)
        self.assertNotIn("other", text, "a ReplicaSet of another owner")
        r2 = next(l for l in lines if "shop-r2 " in l)
        r1 = next(l for l in lines if "shop-r1 " in l)
        self.assertLess(lines.index(r2), lines.index(r1), "newest revision first")
        self.assertRegex(r2, r"ReplicaSet\s+Progressing\s+5m\s+preview, ready 1/2, shop:2, analysis prePromotion: Successful")
        self.assertRegex(r1, r"ReplicaSet\s+Healthy\s+5m\s+stable, active, ready 2/2, shop:1")
        self.assertTrue(any("├── revision 2 (r2)" in l for l in lines))
        self.assertTrue(any("└── revision 1 (r1)" in l for l in lines))
        self.assertRegex(text, r"shop-r2-b\s+Pod\s+Running\s+5m\s+ready 0/1")

    def test_list_with_and_without_namespaces(self):
        header, rows = plugin.list_rows([msd("Healthy")], all_namespaces=True)
        self.assertEqual(header[:4], ["NAMESPACE", "NAME", "STRATEGY", "PHASE"])
        self.assertEqual(rows[0][:4], ["ns", "shop", "BlueGreen", "Healthy"])
        header, rows = plugin.list_rows([msd("Healthy")], all_namespaces=False)
        self.assertEqual(rows[0][:3], ["shop", "BlueGreen", "Healthy"])


class CompletionTest(unittest.TestCase):
    def lookup(self, kind, flags):
        self.asked.append((kind, flags.namespace))
        return {"msds": ["shop", "cart"], "namespaces": ["prod", "dev"],
                "containers:shop": ["app", "side"]}.get(kind, [])

    def setUp(self):
        self.asked = []

    def complete(self, *words):
        return plugin.complete(list(words), self.lookup)

    def test_verbs(self):
        self.assertEqual(self.complete("st"), (["status"], 4))
        self.assertEqual(self.complete("")[0], list(plugin.VERBS))

    def test_msd_names_in_the_namespace_given_before_or_after(self):
        self.assertEqual(self.complete("promote", "-n", "prod", "c"), (["cart"], 4))
        self.assertEqual(self.asked, [("msds", "prod")])
        self.assertEqual(self.complete("-n", "dev", "get", ""), (["shop", "cart"], 4))

    def test_set_image_completes_image_then_names_then_containers(self):
        self.assertEqual(self.complete("set", ""), (["image"], 4))
        self.assertEqual(self.complete("set", "image", "s"), (["shop"], 4))
        self.assertEqual(self.complete("set", "image", "shop", ""), (["app=", "side="], 6))

    def test_namespace_values(self):
        self.assertEqual(self.complete("status", "-n", "p"), (["prod"], 4))

    def test_nothing_after_the_name(self):
        self.assertEqual(self.complete("promote", "shop", ""), ([], 4))


class KrewManifestTest(unittest.TestCase):
    def test_the_manifest_names_the_plugins_version_and_both_executables(self):
        text = (_PATH.parent / "krew" / "blueshift.yaml").read_text()
        self.assertIn(f"  version: v{plugin.VERSION}\n", text)
        self.assertIn(f"/v{plugin.VERSION}/kubectl-blueshift-v{plugin.VERSION}.tar.gz", text)
        self.assertIn("bin: kubectl-blueshift\n", text)
        self.assertIn("- from: kubectl_complete-blueshift", text)


if __name__ == "__main__":
    unittest.main()
