#!/usr/bin/env bash
# Builds fixtures/checklist/rpm/rpmdb.sqlite: a real rpm database (SQLite backend, as rpm >= 4.16
# writes it: the Packages table of header blobs plus its index tables), written by rpm itself
# (Debian's rpm 4.18) — the packages are empty ones made by rpmbuild from the specs below (names,
# versions and vendors of real packages; no files), registered with `rpm -i --justdb`.
# Needs rpm + rpmbuild (Debian package rpm). Run from the repository root.
set -euo pipefail
out=fixtures/checklist/rpm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{BUILD,RPMS,SOURCES,SPECS,SRPMS,db}
spec() { # name version release vendor summary
  cat > "$tmp/SPECS/$1.spec" <<SPEC
Name: $1
Version: $2
Release: $3
Vendor: $4
Summary: $5
License: Proprietary
BuildArch: noarch
%description
$5
%files
SPEC
  rpmbuild --quiet --define "_topdir $tmp" --define '_build_id_links none' -bb "$tmp/SPECS/$1.spec"
}
spec anydesk 6.3.0 1 'AnyDesk Software GmbH' 'The fast remote desktop application'
spec clamav 1.0.5 1.el9 'Fedora Project' 'End-user tools for the Clam Antivirus scanner'
spec qqwing 1.3.4 18.fc39 'Fedora Project' 'Sudoku puzzle generator and solver'
spec filesystem 3.18 6.el9 'Rocky Enterprise Software Foundation' 'The basic directory layout for a Linux system'
rpm --dbpath "$tmp/db" --define '_db_backend sqlite' --initdb
rpm --dbpath "$tmp/db" --define '_db_backend sqlite' -i --justdb --nodeps --ignorearch --ignoreos "$tmp"/RPMS/noarch/*.rpm
mkdir -p "$out"
cp "$tmp/db/rpmdb.sqlite" "$out/rpmdb.sqlite"
rpm --dbpath "$tmp/db" -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\t%{VENDOR}\t%{ARCH}\n' | sort
