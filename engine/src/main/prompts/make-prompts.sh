#!/bin/sh
# Makes the system prompts (SPEC MD-3) from prompts.txt with Debian's espeak-ng and sox:
#   apt-get install espeak-ng sox
#   engine/src/main/prompts/make-prompts.sh
# Each prompt is an 8 kHz mono 16-bit linear PCM WAV in engine/src/main/resources/prompts/ (committed, so the
# build needs neither tool). Linear PCM rather than G.711: the media plane encodes each frame once into
# whichever law the call negotiated (mu-law or A-law) without a lossy law-to-law step, and the prompts load
# straight into the 16-bit sample arrays that Prompts keeps; the files stay small (about 16 kB a second).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out="$here/../resources/prompts"
voice=${VMPORT_PROMPT_VOICE:-en-us}
speed=${VMPORT_PROMPT_WPM:-150}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# 8 kHz, mono, 16-bit signed; leading and trailing silence cut, 100 ms of silence kept after each word so
# that clips said one after another do not run together; peaks at -3 dBFS. -D: no dither, so that the same
# text always makes the same file and a rerun changes only the prompts whose text changed.
to_telephone() {
    sox -D "$1" -r 8000 -c 1 -b 16 -e signed-integer "$2" \
        silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse pad 0 0.1 norm -3
}

grep -v '^#' "$here/prompts.txt" | while IFS='|' read -r name text; do
    [ -n "$name" ] || continue
    espeak-ng -v "$voice" -s "$speed" -w "$tmp/$name.wav" "$text"
    to_telephone "$tmp/$name.wav" "$out/$name.wav"
done

# The beep before recording: 1 kHz for 250 ms at -6 dBFS.
sox -D -n -r 8000 -c 1 -b 16 -e signed-integer "$out/beep.wav" synth 0.25 sine 1000 vol -6dB
