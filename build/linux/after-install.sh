#!/bin/bash
# Zizhu Kiosk — deb post-install script (electron-builder `deb.afterInstall`).
#
# electron-builder treats this file as a template: the executable and sanitizedProductName macros are
# replaced at package time and any other dollar-brace name aborts the build, so shell variables are
# written $NAME, never with braces. This script replaces electron-builder's default one, so it
# repeats what that one does (/usr/bin link, desktop database, AppArmor profile) and adds the kiosk's
# own steps.
set -e

APP_DIR='/opt/${sanitizedProductName}'
EXE='${executable}'
BIN="/usr/bin/$EXE"

# 1. /usr/bin/zizhu-kiosk (the systemd unit and the autostart entry start the kiosk through it).
if type update-alternatives >/dev/null 2>&1; then
  if [ -L "$BIN" ] && [ -e "$BIN" ] && [ "$(readlink "$BIN")" != "/etc/alternatives/$EXE" ]; then
    rm -f "$BIN"
  fi
  update-alternatives --install "$BIN" "$EXE" "$APP_DIR/$EXE" 100 || ln -sf "$APP_DIR/$EXE" "$BIN"
else
  ln -sf "$APP_DIR/$EXE" "$BIN"
fi

# 2. Chromium's setuid sandbox helper: root-owned, mode 4755, always. The default script only does
#    this when unprivileged user namespaces are unavailable, but Ubuntu 24.04 restricts them through
#    AppArmor, and a kiosk must never be started with --no-sandbox. Failing here fails the install.
chown root:root "$APP_DIR/chrome-sandbox"
chmod 4755 "$APP_DIR/chrome-sandbox"

# 3. The systemd user unit (outer supervisor, Restart=always). Installed, not enabled: enable it for
#    the dedicated kiosk user only — `systemctl --user enable zizhu-kiosk` as that user.
if [ -f "$APP_DIR/resources/linux/zizhu-kiosk.service" ]; then
  install -D -m 0644 "$APP_DIR/resources/linux/zizhu-kiosk.service" /usr/lib/systemd/user/zizhu-kiosk.service
fi

if hash update-mime-database 2>/dev/null; then
  update-mime-database /usr/share/mime || true
fi
if hash update-desktop-database 2>/dev/null; then
  update-desktop-database /usr/share/applications || true
fi

# 4. AppArmor profile shipped by electron-builder (Ubuntu 24.04+), as in the default script: only
#    when the running AppArmor understands it, and never live-loaded inside a chroot (image builds).
if apparmor_status --enabled >/dev/null 2>&1; then
  PROFILE_SOURCE="$APP_DIR/resources/apparmor-profile"
  PROFILE_TARGET="/etc/apparmor.d/$EXE"
  if apparmor_parser --skip-kernel-load --debug "$PROFILE_SOURCE" >/dev/null 2>&1; then
    cp -f "$PROFILE_SOURCE" "$PROFILE_TARGET"
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --replace --write-cache --skip-read-cache "$PROFILE_TARGET" || true
    fi
  else
    echo "Skipping the AppArmor profile: this AppArmor does not support it"
  fi
fi

exit 0
