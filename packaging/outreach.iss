; Inno Setup 6 script: a Windows installer for the one-folder build. NOT TRIED (see README.md).
;
;   make package                      (on Windows: pyinstaller packaging\outreach.spec --noconfirm)
;   iscc packaging\outreach.iss       (Inno Setup 6; writes dist\OutreachTally-setup-<version>.exe)
;
; Installs for the current user without administrator rights by default (donated laptops often
; have none); the setup offers "for all users" when it is run as an administrator. The data
; folder (%LOCALAPPDATA%\OutreachTally) is never touched: uninstalling leaves the data, its
; backups and its logs where they are.

#define AppName "Outreach Tally"
; AppVersion: keep equal to outreach_app.__version__
#define AppVersion "0.1.0"
#define BuildDir "..\dist\outreach"

[Setup]
AppId={{6F1C2B7E-5D8A-4E3F-9B61-0A7C4D2E8F15}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Outreach Tally contributors
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=OutreachTally-setup-{#AppVersion}
SetupIconFile=..\outreach_app\resources\icons\outreach-tally.ico
UninstallDisplayIcon={app}\OutreachTally.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; French and Spanish setup texts come with Inno Setup itself.

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller folder: OutreachTally.exe (the app, no console window), outreach.exe (the
; commands, for a terminal) and _internal\.
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\OutreachTally.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\OutreachTally.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\OutreachTally.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
