import { normalize, STORES } from './generator';

const listed = [
  {
    name: 'user-service',
    description: '',
    port: 3001,
    routes: ['/api/auth', '/api/users'],
    health: '/api/users/health',
    stores: ['mongo', 'redis'],
  },
  { name: 'order-service', description: '', port: 3003, routes: ['/api/orders'], health: '/api/orders/health', stores: ['postgres'] },
];

describe('nx g @ecom/tools:service: the options', () => {
  it('names the app <name>-service, its class and its route after the name', () => {
    expect(normalize({ name: 'gift-cards', port: 3006, stores: 'postgres, redis' }, listed)).toEqual(
      expect.objectContaining({
        name: 'gift-cards-service',
        short: 'gift-cards',
        className: 'GiftCards',
        propertyName: 'giftCards',
        route: '/api/gift-cards',
        port: 3006,
        stores: ['postgres', 'redis'],
      }),
    );
    expect(normalize({ name: 'payments-service', port: 3006 }, listed)).toEqual(
      expect.objectContaining({ name: 'payments-service', stores: [] }),
    );
  });

  it.each([
    [{ name: 'Payments', port: 3006 }, 'is not a name'],
    [{ name: 'user', port: 3006 }, 'user-service is in deploy/services.json already'],
    [{ name: 'users', port: 3006 }, '/api/users belongs to user-service'],
    [{ name: 'payments', port: 3003 }, 'clashes with order-service'],
    [{ name: 'payments', port: 9003 }, 'clashes with order-service (port 3003, management port 9003)'],
    [{ name: 'payments', port: 80 }, '--port must be a whole number from 1024 to 59535'],
    [{ name: 'payments', port: 3006.5 }, '--port must be a whole number'],
    [
      { name: 'payments', port: 3006, stores: 'postgres,mysql' },
      'unknown store mysql: --stores takes any of postgres, mongo, redis, cassandra, elasticsearch',
    ],
  ])('refuses %j, saying what is wrong', (options, message) => {
    expect(() => normalize(options, listed)).toThrow(message);
  });

  it('knows every store deploy/services.json may name', () => {
    expect(Object.keys(STORES).sort()).toEqual(['cassandra', 'elasticsearch', 'mongo', 'postgres', 'redis']);
  });
});
