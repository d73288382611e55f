#!/bin/bash
# Zizhu Kiosk — deb post-remove script (electron-builder `deb.afterRemove`). Same template rules as
# after-install.sh: only the executable and sanitizedProductName macros may appear in dollar-braces.
APP_DIR='/opt/${sanitizedProductName}'
EXE='${executable}'

if type update-alternatives >/dev/null 2>&1; then
  update-alternatives --remove "$EXE" "$APP_DIR/$EXE" || true
else
  rm -f "/usr/bin/$EXE"
fi

# The unit file this package installed (a kiosk user's enablement symlink dangles harmlessly).
rm -f /usr/lib/systemd/user/zizhu-kiosk.service

PROFILE="/etc/apparmor.d/$EXE"
if [ -f "$PROFILE" ]; then
  if apparmor_status --enabled >/dev/null 2>&1; then
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$PROFILE" || true
    fi
  fi
  rm -f "$PROFILE"
fi

exit 0
