// The application menu. Accelerators live here; commands the renderer owns travel as menu-command events.
import { Menu, app, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../contract';

export interface MenuActions {
  open(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  recent(): string[];
  command(command: MenuCommand): void;
}

export function buildMenu(actions: MenuActions): Menu {
  const cmd = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => actions.command(command),
  });
  const recent = actions.recent();
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Photos…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
        {
          label: 'Open Recent',
          submenu: [
            ...recent.map((path) => ({ label: path, click: () => actions.openRecent(path) })),
            ...(recent.length ? [{ type: 'separator' as const }] : []),
            { label: 'Clear Recent', enabled: recent.length > 0, click: () => actions.clearRecent() },
          ],
        },
        cmd('Export…', 'export', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      // Undo/Redo are the mask editor's (its history), sent as commands; the roles serve text fields.
      label: '&Edit',
      submenu: [
        cmd('Undo', 'undo', 'CmdOrCtrl+Z'),
        cmd('Redo', 'redo', 'CmdOrCtrl+Shift+Z'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        cmd('Fit to Window', 'view-fit', 'CmdOrCtrl+0'),
        cmd('Actual Size (100 %)', 'view-actual', 'CmdOrCtrl+1'),
        cmd('Zoom In', 'zoom-in', 'CmdOrCtrl+='),
        cmd('Zoom Out', 'zoom-out', 'CmdOrCtrl+-'),
        { type: 'separator' },
        cmd('Before / After Split', 'toggle-compare', 'CmdOrCtrl+D'),
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    {
      label: '&Photo',
      submenu: [
        cmd('Run Restore', 'run', 'CmdOrCtrl+Enter'),
        cmd('Preview Visible Area', 'preview', 'CmdOrCtrl+L'),
        cmd('Cancel', 'cancel'),
        cmd('Detect Blur', 'detect', 'CmdOrCtrl+B'),
        { type: 'separator' },
        cmd('Next Photo', 'next-photo', 'CmdOrCtrl+Right'),
        cmd('Previous Photo', 'previous-photo', 'CmdOrCtrl+Left'),
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
