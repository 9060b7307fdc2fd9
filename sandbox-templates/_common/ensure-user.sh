#!/bin/sh
# Makes uid/gid 1000 the user `user` with home /home/user, whatever the base image
# had (node images already have uid 1000 as `node`).
set -eu
old_group=$(getent group 1000 | cut -d: -f1 || true)
if [ -z "$old_group" ]; then
  groupadd --gid 1000 user
elif [ "$old_group" != user ]; then
  groupmod --new-name user "$old_group"
fi
old_user=$(getent passwd 1000 | cut -d: -f1 || true)
if [ -z "$old_user" ]; then
  useradd --uid 1000 --gid 1000 --home-dir /home/user --shell /bin/sh user
elif [ "$old_user" != user ]; then
  usermod --login user --home /home/user "$old_user"
fi
mkdir -p /home/user
chown 1000:1000 /home/user
chmod 0755 /home/user
