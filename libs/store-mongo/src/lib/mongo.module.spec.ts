import { writeConcernFor } from './mongo.module';

describe('writeConcernFor', () => {
  it('waits for the journal by default', () => {
    expect(writeConcernFor('mongodb://127.0.0.1:27017/users')).toEqual({ writeConcern: { journal: true } });
    expect(writeConcernFor('mongodb://h/users?maxPoolSize=5')).toEqual({ writeConcern: { journal: true } });
  });

  it.each(['w=majority', 'journal=false', 'J=true', 'wtimeoutMS=500'])('leaves a write concern in the URI (%s) alone', (param) => {
    expect(writeConcernFor(`mongodb+srv://cluster.example/users?retryWrites=true&${param}`)).toEqual({});
  });
});
