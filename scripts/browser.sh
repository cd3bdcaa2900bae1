#!/usr/bin/env bash
# Debian's Chromium and a CJK font for the browser tests (Playwright drives /usr/bin/chromium; nothing is
# downloaded by Playwright itself). Installs them with apt-get when missing and we are root; otherwise says so.
# Under CI=true a browser that is still missing fails, as an unreachable PostgreSQL does.
set -uo pipefail

have_browser() { [ -x /usr/bin/chromium ] && fc-list : family 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null; }

if have_browser; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "安装浏览器测试所需的 chromium 与 fonts-noto-cjk（apt-get）……"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig >/dev/null
fi
if have_browser; then
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "未找到 /usr/bin/chromium 或中文字体（fonts-noto-cjk），CI 环境下视为失败。" >&2
  exit 1
fi
echo "未找到 /usr/bin/chromium 或中文字体（fonts-noto-cjk），本地运行将跳过浏览器测试。" >&2
exit 0
