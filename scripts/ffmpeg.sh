# Sourced by the other scripts: movie previews and playlist builds need
# ffmpeg (Debian's package). Installed here when missing and we may;
# otherwise a clear message, and movies are marked broken until it is there.
if ! command -v ffmpeg >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ffmpeg (Debian package) for movie previews..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q ffmpeg >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ffmpeg >/dev/null; } \
      || echo "Could not install ffmpeg: run apt-get install ffmpeg." >&2
  else
    echo "ffmpeg is missing: movie previews stay 'broken' until it is installed (sudo apt-get install ffmpeg)." >&2
  fi
fi
