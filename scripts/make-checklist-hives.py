#!/usr/bin/env python3
"""Builds the Windows test hives of the checklist probes (software.installed, security.posture,
printers) under fixtures/checklist/windows/<machine>/.

The corpus has no licensed SOFTWARE, SAM or matching SYSTEM hive with these keys, so each hive here
is a real regf file written by hivex (Debian libhivex-bin): the base is the corpus win7-NTUSER.DAT
(regipy, MIT) with every key under its root deleted (hivexsh), then `hivexregedit --merge` of a .reg
text this script writes from the tables below. The keys, value names and value types are those
Microsoft documents (cited beside each table); the values are made up.

Two machines: `violations` (one positive case of every rule) and `clean` (the negatives, with names
that look alike but are not the listed software). Run from the repository root:
    python3 scripts/make-checklist-hives.py
Writes <machine>/<HIVE>.reg (standard regedit text, committed for review) and <HIVE>.xz.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'checklist', 'windows')
BASE = os.path.join(HERE, '..', 'fixtures', 'windows', 'hives', 'win7-NTUSER.DAT')


def sz(s):
    return ('sz', s)


def dword(n):
    return ('dword', n)


def multi(items):
    return ('multi', items)


def binary(b):
    return ('binary', b)


def hexlist(b):
    return ','.join(f'{x:02x}' for x in b)


def reg_value(name, v):
    kind, data = v
    key = '@' if name == '' else '"' + name.replace('\\', '\\\\').replace('"', '\\"') + '"'
    if kind == 'sz':
        if all(32 <= ord(c) < 127 for c in data):
            return f'{key}="' + data.replace('\\', '\\\\').replace('"', '\\"') + '"'
        # regedit writes non-ASCII text as UTF-16LE: hex(1) is REG_SZ spelled out (hivexregedit reads
        # "..." strings as Latin-1, so Chinese text must be given this way).
        return f'{key}=hex(1):' + hexlist((data + '\0').encode('utf-16-le'))
    if kind == 'dword':
        return f'{key}=dword:{data:08x}'
    if kind == 'multi':
        return f'{key}=hex(7):' + hexlist(('\0'.join(data) + '\0\0').encode('utf-16-le'))
    if kind == 'binary':
        return f'{key}=hex:' + hexlist(data)
    raise ValueError(kind)


def reg_text(prefix, keys):
    lines = ['Windows Registry Editor Version 5.00', '']
    # Parents first, as regedit exports.
    paths = set()
    for p in keys:
        parts = p.split('\\')
        for i in range(1, len(parts) + 1):
            paths.add('\\'.join(parts[:i]))
    for p in sorted(paths, key=lambda s: s.lower().split('\\')):
        lines.append(f'[{prefix}\\{p}]')
        for name, v in keys.get(p, {}).items():
            lines.append(reg_value(name, v))
        lines.append('')
    return '\n'.join(lines)


def sam_f(acb_flags):
    """The 0x50-byte F value of a SAM user (Users\\<RID>): revision, times, RID at 0x30, account
    control bits (ACB_*) at 0x38 — ACB_DISABLED = 0x0001, ACB_NORMAL = 0x0010, ACB_PWNOTREQ = 0x0004,
    ACB_PWNOEXP = 0x0200 (the layout Samba's and impacket's SAM readers use). No hash is in F."""
    b = bytearray(0x50)
    struct.pack_into('<HH', b, 0, 2, 1)
    struct.pack_into('<I', b, 0x30, 0x1F5)
    struct.pack_into('<H', b, 0x38, acb_flags)
    return bytes(b)


UNINSTALL = 'Microsoft\\Windows\\CurrentVersion\\Uninstall'
WOW_UNINSTALL = 'WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall'


def program(name, version, publisher, date):
    return {'DisplayName': sz(name), 'DisplayVersion': sz(version), 'Publisher': sz(publisher), 'InstallDate': sz(date)}


# SOFTWARE: Uninstall keys ("Uninstall Registry Key", Windows Installer docs); Winlogon AutoAdminLogon /
# DefaultUserName / DefaultPassword (Microsoft Learn "Turn on automatic logon in Windows"); Explorer
# policy NoDriveTypeAutoRun (Microsoft Learn "NoDriveTypeAutoRun"); Policies\System
# InactivityTimeoutSecs ("Interactive logon: Machine inactivity limit"); WindowsFirewall policy profiles.
SOFTWARE = {
    'violations': {
        'Microsoft\\Windows NT\\CurrentVersion': {'ProductName': sz('Windows 10 Pro'), 'CurrentBuild': sz('19045'), 'EditionID': sz('Professional')},
        'Microsoft\\Windows NT\\CurrentVersion\\Winlogon': {'AutoAdminLogon': sz('1'), 'DefaultUserName': sz('zhangsan'), 'DefaultPassword': sz('Passw0rd!2024'), 'Shell': sz('explorer.exe')},
        'Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer': {'NoDriveTypeAutoRun': dword(0x91)},
        UNINSTALL + '\\TeamViewer': program('TeamViewer', '15.48.4', 'TeamViewer', '20240312'),
        UNINSTALL + '\\{6B0C7D5E-3A8F-4C2B-9E1D-2F4A5B6C7D8E}': program('VMware Workstation', '17.5.0', 'VMware, Inc.', '20231120'),
        UNINSTALL + '\\{90160000-008C-0000-1000-0000000FF1CE}': dict(program('Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130', '14.38.33130.0', 'Microsoft Corporation', '20231002'), SystemComponent=dword(1)),
        WOW_UNINSTALL + '\\SunloginClient': program('向日葵远程控制', '15.2.0.63064', '上海贝锐信息科技股份有限公司', '20240105'),
        WOW_UNINSTALL + '\\BaiduNetdisk': program('百度网盘', '7.37.5', '北京度友科技有限公司', '20240220'),
        WOW_UNINSTALL + '\\WeChat': program('微信', '3.9.8.25', '腾讯科技(深圳)有限公司', '20240110'),
        WOW_UNINSTALL + '\\QQMusic': program('QQ音乐', '20.08', '腾讯科技(深圳)有限公司', '20240111'),
        WOW_UNINSTALL + '\\Kingsoft Office': program('WPS Office', '12.1.0.16120', 'Zhuhai Kingsoft Office Software Co.,Ltd', '20231201'),
        WOW_UNINSTALL + '\\VRVEDP': program('北信源内网安全管理系统', '6.0', '北京北信源软件股份有限公司', '20230901'),
        WOW_UNINSTALL + '\\NoName': {'UninstallString': sz('C:\\Program Files (x86)\\x\\uninst.exe')},
    },
    'clean': {
        'Microsoft\\Windows NT\\CurrentVersion': {'ProductName': sz('Windows 10 Pro'), 'CurrentBuild': sz('19045'), 'EditionID': sz('Professional')},
        'Microsoft\\Windows NT\\CurrentVersion\\Winlogon': {'AutoAdminLogon': sz('0'), 'DefaultUserName': sz('lisi'), 'Shell': sz('explorer.exe')},
        'Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer': {'NoDriveTypeAutoRun': dword(0xFF)},
        'Microsoft\\Windows\\CurrentVersion\\Policies\\System': {'InactivityTimeoutSecs': dword(300)},
        'Policies\\Microsoft\\WindowsFirewall\\PublicProfile': {'EnableFirewall': dword(1)},
        'Policies\\Microsoft\\WindowsFirewall\\StandardProfile': {'EnableFirewall': dword(1)},
        'Policies\\Microsoft\\WindowsFirewall\\DomainProfile': {'EnableFirewall': dword(1)},
        UNINSTALL + '\\{A1B2C3D4-0000-4000-8000-00000000QAX1}'.replace('QAX1', '0001'): program('奇安信天擎', '10.0.0.4301', '奇安信科技集团股份有限公司', '20230815'),
        UNINSTALL + '\\ZFHostAudit': program('中孚主机监控与审计系统', '3.2', '中孚信息股份有限公司', '20230815'),
        UNINSTALL + '\\{90160000-008C-0000-1000-0000000FF1CE}': dict(program('Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130', '14.38.33130.0', 'Microsoft Corporation', '20231002'), SystemComponent=dword(1)),
        UNINSTALL + '\\{0E3B2F1A-9C8D-4E7F-A6B5-C4D3E2F1A0B9}': program('Oracle VirtualBox Guest Additions 7.0.14', '7.0.14.161095', 'Oracle Corporation', '20231005'),
        WOW_UNINSTALL + '\\QQMusic': program('QQ音乐', '20.08', '腾讯科技(深圳)有限公司', '20240111'),
        WOW_UNINSTALL + '\\Kingsoft Office': program('WPS Office', '12.1.0.16120', 'Zhuhai Kingsoft Office Software Co.,Ltd', '20231201'),
        WOW_UNINSTALL + '\\TeamViewerQS-docs': program('Remote Desktop Connection Manager', '2.93', 'Microsoft Corporation', '20231003'),
    },
}

# SYSTEM: Select\Current; Terminal Server fDenyTSConnections (Microsoft Learn "fDenyTSConnections");
# LanmanServer\Shares (REG_MULTI_SZ per share: Path=, Type=, Remark=…); SharedAccess firewall policy
# profiles EnableFirewall; USBSTOR Start (3 on demand, 4 disabled — Microsoft Learn "Services key
# Start"); Control\Print\Printers\<name> (Name, Port, Printer Driver) and Control\Print\Monitors\
# Standard TCP/IP Port\Ports\<port> (HostName, IPAddress, PortNumber, Protocol).
FW = 'ControlSet001\\Services\\SharedAccess\\Parameters\\FirewallPolicy'
PRN = 'ControlSet001\\Control\\Print\\Printers'
TCPIP_PORTS = 'ControlSet001\\Control\\Print\\Monitors\\Standard TCP/IP Port\\Ports'


def printer(name, port, driver, **extra):
    d = {'Name': sz(name), 'Port': sz(port), 'Printer Driver': sz(driver), 'Attributes': dword(0x240), 'Print Processor': sz('winprint'), 'Datatype': sz('RAW')}
    d.update(extra)
    return d


SYSTEM_COMMON = {
    'Select': {'Current': dword(1), 'Default': dword(1), 'LastKnownGood': dword(1), 'Failed': dword(0)},
}
SYSTEM = {
    'violations': {
        **SYSTEM_COMMON,
        'ControlSet001\\Control\\ComputerName\\ComputerName': {'ComputerName': sz('WIN-CHECK-V')},
        'ControlSet001\\Control\\Terminal Server': {'fDenyTSConnections': dword(0)},
        'ControlSet001\\Services\\LanmanServer\\Shares': {'Projects': multi(['CSCFlags=0', 'MaxUses=4294967295', 'Path=D:\\Projects', 'Permissions=0', 'Remark=', 'Type=0'])},
        FW + '\\DomainProfile': {'EnableFirewall': dword(1)},
        FW + '\\StandardProfile': {'EnableFirewall': dword(1)},
        FW + '\\PublicProfile': {'EnableFirewall': dword(0)},
        'ControlSet001\\Services\\USBSTOR': {'Start': dword(3), 'Type': dword(1), 'ImagePath': sz('System32\\drivers\\USBSTOR.SYS')},
        PRN + '\\HP LaserJet MFP M428f': printer('HP LaserJet MFP M428f', 'IP_192.168.1.50', 'HP LaserJet MFP M428f PCL-6 (V4)', Location=sz('3F')),
        PRN + '\\Brother MFC-L2710DW series': printer('Brother MFC-L2710DW series', 'WSD-3b8c4a5e-7f0d-4c1a-9e2b-5d6f7a8b9c0d', 'Brother MFC-L2710DW series'),
        PRN + '\\Fax': printer('Fax', 'SHRFAX:', 'Microsoft Shared Fax Driver'),
        PRN + '\\Microsoft Print to PDF': printer('Microsoft Print to PDF', 'PORTPROMPT:', 'Microsoft Print To PDF'),
        TCPIP_PORTS + '\\IP_192.168.1.50': {'HostName': sz(''), 'IPAddress': sz('192.168.1.50'), 'PortNumber': dword(9100), 'Protocol': dword(1), 'Protocol Version': dword(1)},
    },
    'clean': {
        **SYSTEM_COMMON,
        'ControlSet001\\Control\\ComputerName\\ComputerName': {'ComputerName': sz('WIN-CHECK-C')},
        'ControlSet001\\Control\\Terminal Server': {'fDenyTSConnections': dword(1)},
        'ControlSet001\\Services\\LanmanServer\\Shares': {},
        FW + '\\DomainProfile': {'EnableFirewall': dword(1)},
        FW + '\\StandardProfile': {'EnableFirewall': dword(1)},
        FW + '\\PublicProfile': {'EnableFirewall': dword(1)},
        'ControlSet001\\Services\\USBSTOR': {'Start': dword(4), 'Type': dword(1), 'ImagePath': sz('System32\\drivers\\USBSTOR.SYS')},
        PRN + '\\HP LaserJet Pro M404': printer('HP LaserJet Pro M404', 'USB001', 'HP LaserJet Pro M404-M405 PCL-6 (V4)'),
        PRN + '\\Microsoft Print to PDF': printer('Microsoft Print to PDF', 'PORTPROMPT:', 'Microsoft Print To PDF'),
    },
}

# SAM: SAM\Domains\Account\Users\000001F5 (Guest, RID 501), value F only (account control bits). A V
# value (where hashes live on a real machine) holds filler bytes here: the probe must never read it.
SAM_USERS = 'SAM\\Domains\\Account\\Users'
SAM = {
    'violations': {SAM_USERS + '\\000001F5': {'F': binary(sam_f(0x0214)), 'V': binary(b'\xAA' * 0x40)}},
    'clean': {SAM_USERS + '\\000001F5': {'F': binary(sam_f(0x0215)), 'V': binary(b'\xAA' * 0x40)}},
}

# NTUSER.DAT: per-user Uninstall (OneDrive installs per user); Control Panel\Desktop ScreenSaveActive /
# ScreenSaverIsSecure / ScreenSaveTimeOut (REG_SZ, seconds); Printers\Connections\,,server,printer (a
# connected network printer).
NTUSER = {
    'violations': {
        'Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\OneDriveSetup.exe': program('Microsoft OneDrive', '23.226.1031.0003', 'Microsoft Corporation', '20231201'),
        'Control Panel\\Desktop': {'ScreenSaveActive': sz('0'), 'ScreenSaverIsSecure': sz('0'), 'ScreenSaveTimeOut': sz('900')},
        'Printers\\Connections\\,,printsrv,Office-2F': {'Server': sz('\\\\printsrv'), 'Provider': sz('win32spl.dll')},
    },
    'clean': {
        'Control Panel\\Desktop': {'ScreenSaveActive': sz('1'), 'ScreenSaverIsSecure': sz('1'), 'ScreenSaveTimeOut': sz('300')},
    },
}

# BCD (the boot configuration store, itself a registry hive: \Boot\BCD on BIOS systems, \EFI\Microsoft\Boot\BCD on
# the EFI system partition): Objects\{id}\Description Type (object type: 0x10100002 boot manager,
# 0x10200003 Windows boot loader, 0x10200005 memory diagnostic, 0x10400008 boot sector — the BCD WMI
# provider's BcdObject types) and Elements\<element type>\Element (12000004 = BcdLibraryString_Description;
# 24000001 = BcdBootMgrObjectList_DisplayOrder, REG_MULTI_SZ of object ids).
BOOTMGR = '{9dea862c-5cdd-4e70-acc1-f32b344d4795}'
MEMDIAG = '{b2721d73-1db4-4c62-bf78-c548a880142d}'
W10 = '{3f7a2c11-5b6d-11ee-9c1a-8f2e4b6d0a11}'
OTHER = '{3f7a2c12-5b6d-11ee-9c1a-8f2e4b6d0a11}'


def bcd_object(type_, desc=None, extra=None):
    d = {f'Objects\\{type_[0]}\\Description': {'Type': dword(type_[1])}}
    if desc is not None:
        d[f'Objects\\{type_[0]}\\Elements\\12000004'] = {'Element': sz(desc)}
    d.update(extra or {})
    return d


BCD = {
    'violations': {
        'Description': {'KeyName': sz('BCD00000000'), 'System': dword(1), 'TreatAsSystem': dword(1)},
        **bcd_object((BOOTMGR, 0x10100002), 'Windows Boot Manager', {f'Objects\\{BOOTMGR}\\Elements\\24000001': {'Element': multi([W10, OTHER])}}),
        **bcd_object((W10, 0x10200003), 'Windows 10'),
        **bcd_object((OTHER, 0x10400008), 'Ubuntu 22.04'),
        **bcd_object((MEMDIAG, 0x10200005), 'Windows Memory Diagnostic'),
    },
    'clean': {
        'Description': {'KeyName': sz('BCD00000000'), 'System': dword(1), 'TreatAsSystem': dword(1)},
        **bcd_object((BOOTMGR, 0x10100002), 'Windows Boot Manager', {f'Objects\\{BOOTMGR}\\Elements\\24000001': {'Element': multi([W10])}}),
        **bcd_object((W10, 0x10200003), 'Windows 10'),
        **bcd_object((MEMDIAG, 0x10200005), 'Windows Memory Diagnostic'),
    },
}

HIVES = [('BCD', 'HKEY_LOCAL_MACHINE\\BCD00000000', BCD), ('SOFTWARE', 'HKEY_LOCAL_MACHINE\\SOFTWARE', SOFTWARE), ('SYSTEM', 'HKEY_LOCAL_MACHINE\\SYSTEM', SYSTEM), ('SAM', 'HKEY_LOCAL_MACHINE\\SAM', SAM), ('NTUSER.DAT', 'HKEY_CURRENT_USER', NTUSER)]


def empty_base(path):
    shutil.copy(BASE, path)
    os.chmod(path, 0o644)
    children = subprocess.run(['hivexsh', path], input='ls\n', capture_output=True, text=True, check=True).stdout.split('\n')
    script = ''.join(f'cd \\{k}\ndel\n' for k in children if k)
    subprocess.run(['hivexsh', '-w', path], input=script + 'commit\n', text=True, check=True)


def main():
    for machine in ('violations', 'clean'):
        d = os.path.join(OUT, machine)
        os.makedirs(d, exist_ok=True)
        for name, prefix, table in HIVES:
            reg = os.path.join(d, f'{name}.reg')
            with open(reg, 'w', encoding='ascii', newline='\r\n') as f:
                f.write(reg_text(prefix, table[machine]))
            with tempfile.TemporaryDirectory() as tmp:
                hive = os.path.join(tmp, name)
                empty_base(hive)
                subprocess.run(['hivexregedit', '--merge', '--prefix', prefix, hive, reg], check=True)
                with open(os.path.join(d, f'{name}.xz'), 'wb') as out:
                    subprocess.run(['xz', '-9', '-c', hive], stdout=out, check=True)
            print(f'{machine}/{name}', file=sys.stderr)


if __name__ == '__main__':
    main()
