// Makes sure a tool the tests need (the PostgreSQL server, Chromium) is on the machine: as root it installs the Debian
// package with apt-get; otherwise it says what to install and fails, rather than skipping tests quietly.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

export class MissingTool extends Error {}

export type Tool = {
  /** What the user would call it. */
  name: string;
  /** The Debian package that provides it. */
  debianPackage: string;
  /** Returns the tool's path when it is installed. */
  find: () => string | undefined;
};

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function aptGet(args: string[]): boolean {
  const result = spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

function packageListsPresent(): boolean {
  try {
    return readdirSync('/var/lib/apt/lists').some((name) => name.endsWith('_Packages'));
  } catch {
    return false;
  }
}

/** Returns the tool's path, installing its package first when we may. */
export function ensureTool(tool: Tool): string {
  const found = tool.find();
  if (found) return found;
  if (!isRoot()) {
    throw new MissingTool(
      `${tool.name} is not installed, and the tests need it.\n` +
        `Install it with:  sudo apt-get install -y ${tool.debianPackage}\n` +
        'then run npm test again. (Run as root, npm test installs it itself.)',
    );
  }
  console.log(`${tool.name} is missing: installing the Debian package ${tool.debianPackage} with apt-get.`);
  // With its recommended packages: Chromium needs fonts to lay pages out as people see them.
  const install = ['install', '-y', tool.debianPackage];
  // A fresh container often has no package lists yet; refresh them first then, and once more if the install fails.
  if (!packageListsPresent()) aptGet(['update']);
  if (!aptGet(install)) {
    if (!aptGet(['update']) || !aptGet(install)) {
      throw new MissingTool(`apt-get could not install ${tool.debianPackage}. Install it by hand and run npm test again.`);
    }
  }
  const installed = tool.find();
  if (!installed) throw new MissingTool(`${tool.debianPackage} was installed but ${tool.name} still cannot be found.`);
  return installed;
}

/** The PostgreSQL server binaries: version 15 (Debian 12's) when present, otherwise the newest installed. */
export const postgresServer: Tool = {
  name: 'The PostgreSQL server',
  debianPackage: 'postgresql',
  find: () => {
    const root = '/usr/lib/postgresql';
    if (existsSync(`${root}/15/bin/initdb`)) return `${root}/15/bin`;
    let versions: string[] = [];
    try {
      versions = readdirSync(root).filter((version) => existsSync(`${root}/${version}/bin/initdb`));
    } catch {
      return undefined;
    }
    const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
    return newest ? `${root}/${newest}/bin` : undefined;
  },
};

export const chromium: Tool = {
  name: 'Chromium',
  debianPackage: 'chromium',
  find: () => ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path)),
};
