# Build the Windows one-folder bundle: dist\ictappraise\ictappraise.exe
# Usage (PowerShell, in the repository):  .\packaging\build.ps1
# It installs the locked versions of requirements\build.txt (the same lock CI tests) first.
# ictappraise.exe is the GUI (no console window); ictappraise-cli.exe runs the commands.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
python -m pip install -q --require-hashes -r requirements\build.txt
if ($LASTEXITCODE -ne 0) { throw "pip could not install requirements\build.txt" }
python -m pip install -q --no-deps -e .
if ($LASTEXITCODE -ne 0) { throw "pip could not install the project" }
python -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath dist --workpath build\pyinstaller packaging\ictappraise.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
$size = (Get-ChildItem dist\ictappraise -Recurse | Measure-Object -Property Length -Sum).Sum / 1MB
Write-Host ("Bundle: dist\ictappraise\ictappraise.exe and ictappraise-cli.exe ({0:N0} MB)" -f $size)
