# Build the Windows one-folder bundle: dist\ictappraise\ictappraise.exe
# Usage (PowerShell, in the repository, with the project installed):  .\packaging\build.ps1
# ictappraise.exe is the GUI (no console window); ictappraise-cli.exe runs the commands.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
python -m pip show pyinstaller *> $null
if ($LASTEXITCODE -ne 0) { python -m pip install "pyinstaller>=6.5" }
python -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath dist --workpath build\pyinstaller packaging\ictappraise.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
$size = (Get-ChildItem dist\ictappraise -Recurse | Measure-Object -Property Length -Sum).Sum / 1MB
Write-Host ("Bundle: dist\ictappraise\ictappraise.exe and ictappraise-cli.exe ({0:N0} MB)" -f $size)
