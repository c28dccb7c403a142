type Common = typeof import('@nestjs/common');

// counts the date formats built while `load` runs in a fresh module registry, and what it returned
function countingDateFormats<T>(load: () => T): { built: () => number; loaded: T; counting: typeof Intl.DateTimeFormat } {
  const intl = Intl as { DateTimeFormat: typeof Intl.DateTimeFormat };
  const Real = intl.DateTimeFormat;
  let built = 0;
  const counting = function DateTimeFormat(...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
    built++;
    return new Real(...args);
  } as unknown as typeof Intl.DateTimeFormat;
  intl.DateTimeFormat = counting;
  try {
    let loaded!: T;
    jest.isolateModules(() => (loaded = load()));
    return { built: () => built, loaded, counting };
  } finally {
    intl.DateTimeFormat = Real;
  }
}

describe('defer-icu', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is needed: @nestjs/common on its own builds two date formats as it loads', () => {
    const { built } = countingDateFormats(() => require('@nestjs/common') as Common);
    expect(built()).toBe(2);
  });

  it('loads @nestjs/common without building one, and puts Intl.DateTimeFormat back', () => {
    const { built, counting, loaded } = countingDateFormats(() => {
      require('./defer-icu');
      return { afterwards: Intl.DateTimeFormat, common: require('@nestjs/common') as Common };
    });
    expect(built()).toBe(0);
    expect(loaded.afterwards).toBe(counting);
    expect(loaded.common.ConsoleLogger).toBeDefined();
  });

  it("builds the console logger's format when it first prints, and prints the time with it", () => {
    const written: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    const counted = countingDateFormats(() => {
      require('./defer-icu');
      return require('@nestjs/common') as Common;
    });
    // the stand-in builds with what Intl.DateTimeFormat was when defer-icu loaded: the counting one
    const logger = new counted.loaded.ConsoleLogger('spec', { colors: false });
    logger.log('first');
    logger.log('second');
    expect(counted.built()).toBe(1);
    expect(written).toHaveLength(2);
    expect(written[1]).toMatch(/\d{1,2}:\d{2}:\d{2}.*second/);
  });
});
