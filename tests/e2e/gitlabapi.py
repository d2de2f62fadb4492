#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives `trove serve`'s GitLab Packages API with python-gitlab (Debian's python3-gitlab).

Run by tests/e2e/tst_gitlabapi.cpp with /usr/bin/python3:
    gitlabapi.py URL PROJECT_ID MAINTAINER_TOKEN REPORTER_TOKEN
Publishes through the npm API, then lists, filters, gets, lists files and deletes through
python-gitlab, asserting what a script using python-gitlab would see. Exit status 0: all held.
"""

import base64
import hashlib
import io
import json
import sys
import tarfile

import gitlab
import requests


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def tarball(name, version):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for path, data in (
            ("package/package.json", json.dumps({"name": name, "version": version}).encode()),
            ("package/index.js", f"module.exports = '{version}';\n".encode()),
        ):
            info = tarfile.TarInfo(path)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def publish(url, project_id, token, name, version):
    """Publishes as npm does (PUT with the tarball attached); returns the tarball's SHA-1."""
    tgz = tarball(name, version)
    file_name = f"{name}-{version}.tgz"
    sha1 = hashlib.sha1(tgz).hexdigest()
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tgz).digest()).decode()
    body = {
        "_id": name,
        "name": name,
        "dist-tags": {"latest": version},
        "versions": {
            version: {
                "name": name,
                "version": version,
                "_id": f"{name}@{version}",
                "dist": {"shasum": sha1, "integrity": integrity, "tarball": f"{url}/{file_name}"},
            }
        },
        "_attachments": {
            file_name: {
                "content_type": "application/octet-stream",
                "data": base64.b64encode(tgz).decode(),
                "length": len(tgz),
            }
        },
    }
    encoded = name.replace("/", "%2f")
    reply = requests.put(
        f"{url}/api/v4/projects/{project_id}/packages/npm/{encoded}",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    check(reply.status_code == 200, f"publish {name}@{version}: {reply.status_code} {reply.text}")
    return sha1


def ids(packages):
    return [f"{p.name}@{p.version}" for p in packages]


def main():
    url, project_id, maintainer, reporter = sys.argv[1:5]
    sha1 = {}
    for name, version in (
        ("@acme/widget", "1.0.0"),
        ("@acme/widget", "1.1.0"),
        ("@acme/gadget", "1.0.0"),
        ("@acme/widget", "2.0.0"),
    ):
        sha1[f"{name}@{version}"] = publish(url, project_id, maintainer, name, version)
    everything = ["@acme/widget@1.0.0", "@acme/widget@1.1.0", "@acme/gadget@1.0.0", "@acme/widget@2.0.0"]

    gl = gitlab.Gitlab(url, private_token=reporter)
    project = gl.projects.get(int(project_id), lazy=True)

    # list: every version, one page or several (python-gitlab follows the Link header).
    check(ids(project.packages.list(get_all=True)) == everything, "list")
    check(ids(project.packages.list(get_all=True, per_page=3)) == everything, "list, per_page=3")
    pages = project.packages.list(iterator=True, per_page=3)
    check((pages.total, pages.total_pages, pages.per_page) == (4, 2, 3), "pagination headers")
    check(pages.next_page == 2 and pages.current_page == 1, "next and current page")
    first = project.packages.list(get_all=True)[0]
    check(first.package_type == "npm" and first.status == "default", "type and status")
    check(first.last_downloaded_at is None, "last_downloaded_at")
    check("delete_api_path" not in first.attributes["_links"], "a reporter gets no delete_api_path")
    # The project by its path, URL-encoded by python-gitlab.
    by_path = gl.projects.get("acme/widgets", lazy=True)
    check(ids(by_path.packages.list(get_all=True)) == everything, "project by path")

    # filter
    check(ids(project.packages.list(package_name="gadget", get_all=True)) == ["@acme/gadget@1.0.0"],
          "package_name")
    check(len(project.packages.list(package_name="WIDGET", get_all=True)) == 3,
          "package_name ignores case")
    check(ids(project.packages.list(package_version="1.1.0", get_all=True)) == ["@acme/widget@1.1.0"],
          "package_version")
    check(ids(project.packages.list(order_by="version", sort="desc", package_name="widget",
                                    get_all=True))
          == ["@acme/widget@2.0.0", "@acme/widget@1.1.0", "@acme/widget@1.0.0"], "order_by version")
    check(len(project.packages.list(package_type="npm", get_all=True)) == 4, "package_type npm")
    check(project.packages.list(package_type="pypi", get_all=True) == [], "package_type pypi")
    try:
        project.packages.list(order_by="size", get_all=True)
        check(False, "order_by=size was accepted")
    except gitlab.exceptions.GitlabListError as error:
        check(error.response_code == 400, f"order_by=size: {error.response_code}")

    # group
    group = gl.groups.get("acme", lazy=True)
    listed = group.packages.list(get_all=True)
    check(sorted(ids(listed)) == sorted(everything), "group list")
    check({p.project_path for p in listed} == {"acme/widgets"}, "project_path")

    # get
    latest = next(p for p in project.packages.list(get_all=True) if p.version == "2.0.0")
    got = project.packages.get(latest.id)
    check((got.name, got.version) == ("@acme/widget", "2.0.0"), "get")
    check([t["name"] for t in got.tags] == ["latest"], "get: tags")
    check(sorted(v["version"] for v in got.versions) == ["1.0.0", "1.1.0"], "get: versions")

    # list files
    files = got.package_files.list()
    check(len(files) == 1, "one file per version")
    check(files[0].file_name == "@acme/widget-2.0.0.tgz", f"file_name {files[0].file_name}")
    check(files[0].file_sha1 == sha1["@acme/widget@2.0.0"], "file_sha1")
    check(files[0].size > 0 and files[0].package_id == latest.id, "size and package_id")

    # delete: a reporter may not.
    try:
        project.packages.delete(latest.id)
        check(False, "a reporter deleted a package")
    except gitlab.exceptions.GitlabDeleteError as error:
        check(error.response_code == 403, f"reporter delete: {error.response_code}")

    admin = gitlab.Gitlab(url, private_token=maintainer)
    maintained = admin.projects.get(int(project_id), lazy=True)
    check("delete_api_path" in maintained.packages.list(get_all=True)[0].attributes["_links"],
          "a maintainer gets delete_api_path")
    maintained.packages.get(latest.id).delete()
    try:
        maintained.packages.get(latest.id)
        check(False, "a deleted package is still there")
    except gitlab.exceptions.GitlabGetError as error:
        check(error.response_code == 404, f"get after delete: {error.response_code}")
    # npm follows: the version is gone and "latest" falls back to 1.1.0.
    packument = requests.get(
        f"{url}/api/v4/projects/{project_id}/packages/npm/@acme%2fwidget",
        headers={"Authorization": f"Bearer {maintainer}"},
        timeout=30,
    ).json()
    check(sorted(packument["versions"]) == ["1.0.0", "1.1.0"], "packument versions after delete")
    check(packument["dist-tags"]["latest"] == "1.1.0", "latest after delete")

    # delete a package file: the version goes with its only file.
    gadget = maintained.packages.list(package_name="gadget", get_all=True)[0]
    maintained.packages.get(gadget.id, lazy=True).package_files.list()[0].delete()
    check(ids(maintained.packages.list(get_all=True)) == ["@acme/widget@1.0.0", "@acme/widget@1.1.0"],
          "list after deleting a file")
    print("ok")


if __name__ == "__main__":
    main()
