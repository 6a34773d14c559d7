; Inno Setup script: the Windows installer of Dossier, wrapping the PyInstaller one-folder
; bundle (dist\dossier, built from packaging\dossier.spec) like the .deb does on Linux.
; Installs under Program Files (or the user's programs folder without admin rights), adds a
; Start menu entry for the window (dossierw.exe) and an uninstaller. Uninstalling removes the
; program only: each user's library stays in %LOCALAPPDATA%\Dossier.
;
; Build from the repository root, after PyInstaller:
;   iscc /DAppVersion=0.1.0 packaging\windows\dossier.iss
; The release workflow passes the version read from desktop\__init__.py.

#ifndef AppVersion
  #error Pass the version read from desktop\__init__.py: iscc /DAppVersion=X.Y.Z
#endif
#define AppName "Dossier"

[Setup]
AppId={{8683D7B6-AF60-43EF-9E0C-34E76FA89D57}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Dossier developers
AppComments=Offline reader for research corpora of news articles
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=dossier-{#AppVersion}-windows-x64-setup
SetupIconFile=build\icons\dossier.ico
UninstallDisplayIcon={app}\dossierw.exe
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "dist\dossier\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\dossierw.exe"; Comment: "Read, search and annotate news articles"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\dossierw.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\dossierw.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
