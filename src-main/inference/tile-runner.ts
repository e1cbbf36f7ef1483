// Runs one job's tiles. A GPU provider can pass the warm-up and still fail on a real tile (out of memory on a
// large one, a lost device): the failed tile and the rest of the job then run on the CPU, and the result says why.
import { explainRunFailure } from './providers';
import { holdSession, runTile, type EngineSession, type TileOutputs } from './session';

export class TileRunner {
  private runFailure: string | undefined;

  private constructor(
    private engine: EngineSession,
    private readonly cpuSession: () => Promise<EngineSession>,
    private readonly holds: (() => Promise<void>)[],
  ) {}

  /** A runner on `session` (getSession's promise), held until close(); `cpuSession` opens (or reuses) the CPU
   * session of the same model, for a GPU that fails mid-job. */
  static async open(
    session: Promise<EngineSession>,
    cpuSession: () => Promise<EngineSession>,
  ): Promise<TileRunner> {
    const letGo = holdSession(session);
    try {
      return new TileRunner(await session, cpuSession, [letGo]);
    } catch (error) {
      await letGo();
      throw error;
    }
  }

  /** Lets go of the sessions this job used (a session dropped meanwhile is released now). */
  async close(): Promise<void> {
    await Promise.all(this.holds.splice(0).map((letGo) => letGo()));
  }

  get provider(): EngineSession['provider'] {
    return this.engine.provider;
  }

  /** Why the job did not run (entirely) on the first-choice provider; undefined when it did. */
  get fallbackReason(): string | undefined {
    const reasons = [this.engine.fallbackReason, this.runFailure].filter((r) => r !== undefined);
    return reasons.length ? reasons.join(' ') : undefined;
  }

  async run(
    image: Float32Array,
    guide: Float32Array,
    width: number,
    height: number,
    threshold: number,
  ): Promise<TileOutputs> {
    try {
      return await runTile(this.engine, image, guide, width, height, threshold);
    } catch (error) {
      if (this.engine.provider === 'cpu') throw error;
      const failed = this.engine.provider;
      const cpu = this.cpuSession();
      this.holds.push(holdSession(cpu));
      this.engine = await cpu;
      this.runFailure = explainRunFailure(failed, error, width, height);
      return runTile(this.engine, image, guide, width, height, threshold);
    }
  }
}
