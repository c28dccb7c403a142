import { ShutdownState } from './shutdown.state';

describe('ShutdownState', () => {
  it('starts serving and flips once begin is called', () => {
    const state = new ShutdownState();
    expect(state.isShuttingDown).toBe(false);
    state.begin();
    state.begin();
    expect(state.isShuttingDown).toBe(true);
  });
});
